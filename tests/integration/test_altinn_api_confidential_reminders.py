"""H6 over HTTP on SQLite and PostgreSQL: an organisation's confidential correspondences unread seven
days after publication, listed oldest first as the real service words them (nb, nn, en); 404 1062
when there are none (not yet seven days, or read); 4006 for a person, who has no organisation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from postbud.services.parties.resources import RegisterResource, register_resource
from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    OWNER,
    PERSON,
    Altinn,
    altinn,
    correspondence,
    problem,
)

__all__ = ["altinn"]

SECRET = "skd-taushetsbelagt"


def confidential(world: Altinn, *recipients: str, title: str = "Taushetsbelagt vedtak") -> list[str]:
    body = correspondence(*recipients, resource=SECRET, isConfidential=True)
    body["correspondence"]["content"]["messageTitle"] = title
    ids = world.initialized(body)
    world.work()
    return ids


def reminders(world: Altinn, orgnr: str = ORG_RECIPIENT, **params: str) -> Any:
    return world.get("/confidential-reminders", world.as_org(orgnr), **params)


def test_unread_confidential_correspondences_a_week_old_are_listed_until_read(altinn: Altinn) -> None:
    titles = {"nb": "Taushetsbelagt post", "en": "Confidential mail"}
    resource = RegisterResource(id=SECRET, owner=OWNER, titles=titles, confidential=True)
    altinn.run(register_resource, resource, altinn.runtime)
    first, _ = confidential(altinn, f"0192:{ORG_RECIPIENT}", f"0192:{OTHER_ORG_RECIPIENT}")
    altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))  # not confidential: never listed
    altinn.work()
    problem(reminders(altinn), 404, 1062)  # published just now

    altinn.advance(timedelta(days=3))
    (second,) = confidential(altinn, f"0192:{ORG_RECIPIENT}")
    altinn.advance(timedelta(days=4, minutes=1))
    response = reminders(altinn)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert text.startswith("Under ligger en oversikt over hvilke meldinger som er uåpnet")
    assert text.endswith("NB! Dette varselet forsvinner når alle uleste taushetsbelagte meldinger er åpnet.")
    (line,) = [row for row in text.split("\n\n") if row[:1].isdigit()]  # the second is 4 days old
    assert line.startswith("1. Melding fra avsender Skatteetaten datert ")
    assert line.endswith(", denne krever tilgang til tjenesten: Taushetsbelagt post")

    english = reminders(altinn, languageCode="en").text
    assert "1. Correspondence from sender Skatteetaten dated " in english
    assert english.endswith("have been opened.")

    altinn.advance(timedelta(days=3))
    both = [row for row in reminders(altinn).text.split("\n\n") if row[:1].isdigit()]
    assert [row[:2] for row in both] == ["1.", "2."]

    org = altinn.as_org(ORG_RECIPIENT)
    for cid in (first, second):
        altinn.get(f"/correspondence/{cid}", org)
        assert altinn.post(f"/correspondence/{cid}/markasread", org).status_code == 200
    problem(reminders(altinn), 404, 1062)
    assert reminders(altinn, OTHER_ORG_RECIPIENT).status_code == 200  # its own one is still unread

    problem(altinn.get("/confidential-reminders", altinn.as_person(PERSON)), 401, 4006)
