"""Every route of the whole app, tried by nobody (issue 13 item 5, the authorisation matrix).

The routes are read from the app itself, so a new one cannot escape: each must fall in a surface
whose refusal this test knows (Digipost's signed XML ``error``, Ekopost's JSON error, Altinn's and
the platform API's problem+json, the web pages' sign-in redirect or CSRF refusal), or be on the
public list with the reason it is public; a route that is neither fails the test. Each refusal must
name nothing of the letter stored beforehand (its subject, its recipient's number and name). Path
parameters carry the stored letter's real ids, so the refusals are about who asks, not about ids
that do not exist. SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from lxml import etree
from starlette.routing import Mount

from postbud.crypto.keys import load_private_key
from postbud.domain.identifiers import parse_party_id
from postbud.services.letters.query import ShipmentFilter, list_shipments
from postbud.services.parties.senders import RegisterSender, register_sender
from tests.integration.altinn_api_fixtures import (
    API,
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    OTHER_OWNER,
    OTHER_PERSON,
    RESOURCE,
    Altinn,
    altinn,
    correspondence,
)
from tests.integration.altinn_api_fixtures import PERSON as ALTINN_PERSON
from tests.integration.digipost_client import SignedClient
from tests.integration.digipost_fixtures import MAILBOX_PERSON, a_pdf, message
from tests.integration.robust_world import (
    OTHER_MAILBOX_PERSON,
    Stored,
    World,
    ekopost_customer,
    stored_of,
    world,
)
from tests.integration.test_ekopost_fixtures import letter_pdf

__all__ = ["altinn", "world"]

SECRET_SUBJECT = "Robust-hemmelig-vedtak"

# Public by design, each with why. Anything else must refuse a caller without credentials.
PUBLIC: dict[str, str] = {
    "/": "the home page (describes the sandbox; no party's data)",
    "/api/v1/openapi.json": "the platform API's description",
    "/api/v1/docs": "offline API docs",
    "/api/v1/redoc": "offline API docs",
    "/api/v1/docs/assets/swagger": "static assets of the docs",
    "/api/v1/docs/assets/redoc": "static assets of the docs",
    "/static": "static assets of the web pages",
    "/healthz": "liveness probe",
    "/readyz": "readiness probe",
    "/metrics": "exposure is a setting; loopback by default, and the test client is local",
    "/inbox/sign-in": "the sign-in page itself",
    "/console/sign-in": "the sign-in page itself",
    "/digipost/": "the entrypoint: link templates and the server certificate only",
    "/digipost/{sender_id:int}": "a sender's entrypoint: link templates only",
    "/authentication/api/v1/openid/.well-known/openid-configuration": "OpenID metadata",
    "/authentication/api/v1/openid/.well-known/openid-configuration/jwks": "public keys",
    "/maskinporten/.well-known/oauth-authorization-server": "OAuth metadata",
    "/maskinporten/jwk": "public keys",
    "/sandbox/bins/{name}": "the built-in request bin receives from anyone (it is a webhook receiver)",
}
# Routes of a dialect's own port (the dialect at the root): on the main port they are not there.
DIALECT_PORT_ONLY = {"/{sender_id:int}", "/{sender_id:int}/user-accounts"}


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, frozenset[str]]]:
    for route in routes:
        if isinstance(route, Mount):
            inner = route.routes
            if inner:
                yield from _routes(list(inner), prefix + route.path)
            else:
                yield prefix + route.path, frozenset({"GET"})
        elif type(route).__name__ == "_IncludedRouter":  # FastAPI's include_router
            yield from _routes(list(route.original_router.routes), prefix + route.include_context.prefix)
        elif hasattr(route, "methods") and hasattr(route, "path"):
            yield prefix + route.path, frozenset((route.methods or {"GET"}) - {"HEAD"})
        else:
            raise AssertionError(f"a route the matrix cannot read: {route!r}")


def endpoints(app: Any) -> list[Endpoint]:
    seen = {Endpoint(path, method) for path, methods in _routes(list(app.routes)) for method in methods}
    return sorted(seen, key=lambda each: (each.path, each.method))


def _digipost(response: Any) -> None:
    assert response.status_code in (400, 401, 403, 404, 415, 501), response.status_code
    assert response.headers["content-type"].startswith("application/vnd.digipost"), response.headers
    assert etree.QName(etree.fromstring(response.content)).localname == "error"


def _ekopost(response: Any) -> None:
    assert response.status_code in (400, 401, 403, 404), response.status_code
    body = response.json()
    assert {"error_code", "error_message"} <= body.keys(), body


def _problem(response: Any) -> None:
    assert response.status_code in (401, 403, 404, 501), response.status_code
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    assert response.json()["status"] == response.status_code


def _oauth(response: Any) -> None:
    assert response.status_code in (400, 401), response.status_code
    assert "error" in response.json()


def _web(sign_in: str) -> Callable[[Any], None]:
    def check(response: Any) -> None:
        if response.status_code == 303:
            assert response.headers["location"].startswith(sign_in), response.headers["location"]
        else:
            assert response.status_code in (401, 403), response.status_code

    return check


def _not_here(response: Any) -> None:
    assert response.status_code == 404, response.status_code


def _e_id_login(response: Any) -> None:
    """A signing page for people without an inbox: nobody gets its e-ID login, never the document."""
    if response.status_code == 303:
        assert response.headers["location"].startswith("/inbox/e-signing/"), response.headers["location"]
    elif response.status_code == 200:
        assert 'name="national_id"' in response.text
    else:
        assert response.status_code == 403, response.status_code


SURFACES: list[tuple[str, Callable[[Any], None]]] = [
    (r"^/digipost/", _digipost),
    (r"^/documents/", _digipost),  # the Java client's status path at the root
    (r"^/ekopost/", _ekopost),
    (r"^/correspondence/api/v1/", _problem),
    (r"^/events/api/v1/", _problem),  # Altinn's Events API subscriptions
    (r"^/authentication/api/v1/exchange/", _problem),
    (r"^/maskinporten/token$", _oauth),
    (r"^/api/v1/", _problem),
    (r"^/inbox/e-signing/", _e_id_login),
    (r"^/inbox/", _web("/inbox/sign-in")),
    (r"^/console/", _web("/console/sign-in")),
]


def surface_of(path: str) -> Callable[[Any], None] | None:
    if path in DIALECT_PORT_ONLY:
        return _not_here
    for pattern, check in SURFACES:
        if re.search(pattern, path):
            return check
    return None


def _fill(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name, kind = match.group(1), match.group(2) or ""
        if kind == ":int":
            return "1" if name == "page" else ids["sender_id"]
        if name in ids:
            return ids[name]
        return ids["uuid"]

    return re.sub(r"\{([^}:]+)(:[a-z]+)?\}", value, path)


def _store_a_letter(world: World) -> dict[str, str]:
    document = str(uuid.uuid4())
    pin = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
    response = world.digipost.send(message(pin, document, subject=SECRET_SUBJECT), {document: a_pdf()})
    assert response.status_code == 201, response.text
    page = world.http.portal.call(list_shipments, ShipmentFilter(limit=5), world.runtime)  # type: ignore[union-attr]
    shipment = str(page.shipments[0].id)
    return {
        "sender_id": str(world.digipost.broker_id),
        "uuid": document,
        "shipment_id": shipment,
        "letter_id": shipment,
        "document_id": document,
        "correspondenceId": shipment,
        "batch_uuid": str(uuid.uuid4()),
    }


def test_every_route_refuses_nobody_in_its_own_format(world: World) -> None:
    ids = _store_a_letter(world)
    routes = endpoints(world.http.app)
    unclassified = [e for e in routes if e.path not in PUBLIC and surface_of(e.path) is None]
    assert unclassified == [], f"routes the matrix cannot classify: {unclassified}"
    tried, failures = 0, []
    for endpoint in routes:
        if endpoint.path in PUBLIC:
            continue
        check = surface_of(endpoint.path)
        assert check is not None
        url = _fill(endpoint.path, ids)
        response = world.http.request(endpoint.method, url, follow_redirects=False)
        tried += 1
        try:
            check(response)
            for secret in (SECRET_SUBJECT, MAILBOX_PERSON, "Ola Nordmann"):
                assert secret not in response.text, f"{secret!r} in the answer"
        except AssertionError as exc:
            failures.append(f"{endpoint.method} {url}: {exc} :: {response.text[:200]}")
    assert failures == [], "\n".join(failures)
    assert tried > 150


OTHER_BROKER = 100777
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _other_sender(world: World) -> tuple[SignedClient, str]:
    """A second sender with its own Digipost broker key and platform API key."""
    credentials = world.http.portal.call(  # type: ignore[union-attr]
        register_sender,
        RegisterSender(
            name="Annen kommune", organisation_number="991825827", digipost_id=OTHER_BROKER, generate_key=True
        ),
        world.runtime,
    )
    assert credentials.private_key_pem is not None
    signed = SignedClient(
        world.http,
        OTHER_BROKER,
        load_private_key(credentials.private_key_pem.encode()),
        runtime_of=lambda: world.runtime,
    )
    signed.entrypoint()
    return signed, credentials.api_key


def _leaks(response: Any) -> list[str]:
    return [secret for secret in (SECRET_SUBJECT, MAILBOX_PERSON, "Ola Nordmann") if secret in response.text]


def _try_all(
    world: World,
    prefix: str,
    call: Callable[[Endpoint, str], Any],
    ids: dict[str, str],
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    failures = []
    tried = 0
    for endpoint in endpoints(world.http.app):
        if not endpoint.path.startswith(prefix) or endpoint.path in PUBLIC or endpoint.path in skip:
            continue
        url = _fill(endpoint.path, ids)
        response = call(endpoint, url)
        tried += 1
        # 501 is each dialect's "not implemented" answer in its own format, not a failure
        if (response.status_code >= 500 and response.status_code != 501) or _leaks(response):
            failures.append(
                f"{endpoint.method} {url}: {response.status_code} {_leaks(response)} :: {response.text[:200]}"
            )
    assert tried > 0, prefix
    return failures


def test_the_wrong_sender_reaches_nothing_of_the_other_senders_letter(world: World) -> None:
    ids = _store_a_letter(world)
    other, api_key = _other_sender(world)

    def as_other_broker(endpoint: Endpoint, url: str) -> Any:
        path, _, query = url.partition("?")
        body = b"" if endpoint.method in ("POST", "PUT", "PATCH") else None
        headers = other.headers(endpoint.method, path, body, query)
        headers["Accept"] = "application/vnd.digipost-v8+xml"
        return world.http.request(endpoint.method, url, content=body, headers=headers, follow_redirects=False)

    def as_other_api_key(endpoint: Endpoint, url: str) -> Any:
        headers = {"Authorization": f"Bearer {api_key}"}
        return world.http.request(endpoint.method, url, headers=headers, follow_redirects=False)

    before = world.stored()
    failures = _try_all(world, "/digipost/", as_other_broker, {**ids, "sender_id": ids["sender_id"]})
    failures += _try_all(world, "/digipost/", as_other_broker, {**ids, "sender_id": str(OTHER_BROKER)})
    failures += _try_all(world, "/api/v1/", as_other_api_key, ids)
    assert failures == [], "\n".join(failures)
    assert world.stored() == before, "the wrong sender changed something"


def test_the_wrong_recipient_reaches_nothing_of_the_other_recipients_letter(world: World) -> None:
    ids = _store_a_letter(world)
    page = world.http.get("/inbox/sign-in")
    match = CSRF.search(page.text)
    assert match, page.text
    signed_in = world.http.post(
        "/inbox/sign-in",
        data={"csrf_token": match.group(1), "recipient_id": str(world.recipients[OTHER_MAILBOX_PERSON])},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303, signed_in.text
    token = CSRF.search(world.http.get("/inbox/").text)
    assert token, "no form on the inbox page"

    def as_kari(endpoint: Endpoint, url: str) -> Any:
        if endpoint.method == "GET":
            return world.http.get(url, follow_redirects=False)
        return world.http.request(
            endpoint.method, url, data={"csrf_token": token.group(1)}, follow_redirects=False
        )

    # The session itself, and the sandbox's sample letters, which go to whoever is signed in.
    skip = frozenset({"/inbox/sign-out", "/inbox/sign-in", "/inbox/step-up", "/inbox/sandbox/sample-letters"})
    before = world.stored()
    failures = _try_all(world, "/inbox/", as_kari, ids, skip)
    assert failures == [], "\n".join(failures)
    after = world.stored()
    changed = {
        name: (count, after.rows[name]) for name, count in before.rows.items() if after.rows[name] != count
    }
    assert changed == {}, f"the wrong recipient changed {changed}"
    assert after.blobs == before.blobs
    letter = world.http.get(f"/inbox/letters/{ids['letter_id']}", follow_redirects=False)
    assert letter.status_code in (303, 403, 404), letter.status_code
    assert SECRET_SUBJECT not in world.http.get("/inbox/").text


# --- Ekopost: the wrong customer ------------------------------------------------------------------

EKOPOST_SECRET = "Robust-hemlig-kampanj"
VICTIM_PARAMETERS = ("{campaign_id}", "{envelope_id}", "{content_id}")
MAKES_THE_CALLERS_OWN = {("POST", "/ekopost/campaigns")}
"""Routes that make something of the caller's own from an empty body (Ekopost names a campaign itself)."""


def test_the_wrong_ekopost_customer_reaches_nothing_of_the_other_customers_campaign(world: World) -> None:
    """Every Ekopost route as another customer, with the real ids of a campaign, envelope and content
    of the first: each route naming them refuses (Ekopost's error object), none answers 5xx or names
    the campaign, and nothing is written."""
    customer = ekopost_customer(world)
    owner = customer.headers()
    campaign = world.http.post(
        "/ekopost/campaigns", json={"name": EKOPOST_SECRET, "output_date": "2026-12-31"}, headers=owner
    ).json()
    envelope = world.http.post(
        f"/ekopost/campaigns/{campaign['id']}/envelopes",
        json={"name": EKOPOST_SECRET, "postage": "priority"},
        headers=owner,
    ).json()
    pdf = letter_pdf()
    content = world.http.post(
        f"/ekopost/campaigns/{campaign['id']}/envelopes/{envelope['id']}/content",
        json={"type": "document", "mime": "application/pdf", "length": len(pdf),
              "data": base64.b64encode(pdf).decode()},
        headers=owner,
    )  # fmt: skip
    assert content.status_code == 200, content.text
    ids = {
        "campaign_id": campaign["id"],
        "envelope_id": envelope["id"],
        "content_id": content.json()["id"],
        "sms_id": str(uuid.uuid4()),
        "uuid": str(uuid.uuid4()),
    }
    seen_by_owner = world.http.get(
        f"/ekopost/campaigns/{campaign['id']}/envelopes/{envelope['id']}", headers=owner
    )
    before = world.stored()
    failures, tried = [], 0
    for endpoint in endpoints(world.http.app):
        if not endpoint.path.startswith("/ekopost/"):
            continue
        url = _fill(endpoint.path, ids)
        body = b"{}" if endpoint.method in ("POST", "PUT", "PATCH") else None
        response = world.http.request(
            endpoint.method, url, content=body, headers=customer.headers(customer.other_api_key)
        )
        tried += 1
        problems = []
        if response.status_code >= 500 and response.status_code != 501:
            problems.append("a server error")
        if EKOPOST_SECRET in response.text:
            problems.append("names the other customer's campaign")
        if any(name in endpoint.path for name in VICTIM_PARAMETERS) and response.status_code < 400:
            problems.append("reached the other customer's campaign")
        if response.status_code >= 400 and not {"error_code", "error_message"} <= set(_json(response)):
            problems.append("not Ekopost's error object")
        if problems:
            failures.append(
                f"{endpoint.method} {url}: {response.status_code} {problems} :: {response.text[:200]}"
            )
        if (endpoint.method, endpoint.path) in MAKES_THE_CALLERS_OWN:
            before = world.stored()  # a campaign of the caller's own is not the other customer's
    assert tried > 20
    assert failures == [], "\n".join(failures)
    after = world.stored()
    changed = {name: (n, after.rows[name]) for name, n in before.rows.items() if after.rows[name] != n}
    assert changed == {}, f"the wrong customer changed {changed}"
    again = world.http.get(f"/ekopost/campaigns/{campaign['id']}/envelopes/{envelope['id']}", headers=owner)
    assert again.json() == seen_by_owner.json()


def _json(response: Any) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# --- Altinn: the wrong sender, the wrong recipient (organisation and person), the business inbox ----

ALTINN_SECRET = "Robust-hemmelig-korrespondanse"


def _altinn_letters(altinn: Altinn) -> dict[str, str]:
    """A correspondence from the resource's owner to an organisation and one to a person, both
    published: ``org`` and ``person`` → their ids."""
    content = {"language": "nb", "messageTitle": ALTINN_SECRET, "messageBody": f"{ALTINN_SECRET} brødtekst"}
    org = altinn.initialized(correspondence(content=content))
    person = altinn.initialized(
        correspondence(f"urn:altinn:person:identifier-no:{ALTINN_PERSON}", content=content)
    )
    altinn.work()
    return {"org": org[0], "person": person[0]}


ALTINN_PREFIXES = ("/correspondence/api/v1/", "/events/api/v1/")


def _as_altinn_party(
    altinn: Altinn, headers: dict[str, str], victim: str, own_stored: Callable[[], Stored]
) -> list[str]:
    ids = {
        "correspondenceId": victim,
        "attachmentId": str(uuid.uuid4()),
        "id": str(uuid.uuid4()),
        "uuid": victim,
    }
    before = own_stored()
    failures, tried = [], 0
    for endpoint in endpoints(altinn.http.app):
        if not endpoint.path.startswith(ALTINN_PREFIXES):
            continue
        url = _fill(endpoint.path, ids)
        if endpoint.path == f"{API}/correspondence" and endpoint.method == "GET":
            url += f"?resourceId={RESOURCE}&role=RecipientAndSender"
        body = b"{}" if endpoint.method in ("POST", "PUT", "PATCH") else None
        sent = {**headers, "Content-Type": "application/json"} if body is not None else headers
        response = altinn.http.request(endpoint.method, url, content=body, headers=sent)
        tried += 1
        problems = []
        if response.status_code >= 500 and response.status_code != 501:
            problems.append("a server error")
        if ALTINN_SECRET in response.text:
            problems.append("names the correspondence's content")
        if "{correspondenceId}" not in endpoint.path and victim in response.text:
            problems.append("lists the correspondence")
        if "{correspondenceId}" in endpoint.path and response.status_code < 400:
            problems.append("reached the correspondence")
        # Altinn's Events API answers a refusal with a JSON string, as the real one does.
        problem_json = response.headers.get("content-type", "").startswith("application/problem+json")
        if response.status_code >= 400 and not problem_json and not endpoint.path.startswith("/events/"):
            problems.append("not problem+json")
        if problems:
            failures.append(
                f"{endpoint.method} {url}: {response.status_code} {problems} :: {response.text[:200]}"
            )
    assert tried > 20
    if own_stored() != before:
        failures.append("something was written")
    return failures


def test_the_wrong_altinn_parties_reach_nothing_of_a_correspondence(altinn: Altinn) -> None:
    letters = _altinn_letters(altinn)
    stored = lambda: stored_of(altinn.http)  # noqa: E731
    failures = _as_altinn_party(altinn, altinn.as_sender(OTHER_OWNER), letters["org"], stored)
    failures += _as_altinn_party(altinn, altinn.as_sender(OTHER_OWNER), letters["person"], stored)
    failures += _as_altinn_party(altinn, altinn.as_org(OTHER_ORG_RECIPIENT), letters["org"], stored)
    failures += _as_altinn_party(altinn, altinn.as_person(OTHER_PERSON), letters["person"], stored)
    failures += _as_altinn_party(altinn, altinn.as_person(OTHER_PERSON), letters["org"], stored)
    assert failures == [], "\n".join(failures)
    # The rightful recipients do see them (the refusals above are about who asks).
    own = altinn.get(f"/correspondence/{letters['org']}", altinn.as_org(ORG_RECIPIENT))
    assert own.status_code == 200, own.text


def _sign_in_to_inbox(http: Any, recipient_id: uuid.UUID) -> str:
    page = http.get("/inbox/sign-in")
    match = CSRF.search(page.text)
    assert match, page.text
    signed_in = http.post(
        "/inbox/sign-in",
        data={"csrf_token": match.group(1), "recipient_id": str(recipient_id)},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303, signed_in.text
    token = CSRF.search(http.get("/inbox/").text)
    assert token, "no form on the inbox page"
    return token.group(1)


def _recipient_id(altinn: Altinn, number: str) -> uuid.UUID:
    async def find() -> uuid.UUID:
        async with altinn.runtime.reader() as uow:
            found = await uow.recipients.by_party_id(parse_party_id(number))
        assert found is not None
        return found.id

    found: uuid.UUID = altinn.run(find)
    return found


INBOX_SESSION_ROUTES = frozenset(
    {"/inbox/sign-out", "/inbox/sign-in", "/inbox/step-up", "/inbox/sandbox/sample-letters"}
)


@pytest.mark.parametrize(("reader", "victim"), [(OTHER_ORG_RECIPIENT, "org"), (OTHER_PERSON, "person")])
def test_the_wrong_business_or_personal_inbox_reaches_nothing_of_a_correspondence(
    altinn: Altinn, reader: str, victim: str
) -> None:
    """Signed in to another organisation's (or person's) inbox, every inbox route with the real id of a
    correspondence names nothing of it and changes nothing."""
    letters = _altinn_letters(altinn)
    token = _sign_in_to_inbox(altinn.http, _recipient_id(altinn, reader))
    ids = {"letter_id": letters[victim], "shipment_id": letters[victim], "uuid": letters[victim]}
    before = stored_of(altinn.http)
    failures = []
    for endpoint in endpoints(altinn.http.app):
        if not endpoint.path.startswith("/inbox/") or endpoint.path in INBOX_SESSION_ROUTES:
            continue
        url = _fill(endpoint.path, ids)
        if endpoint.method == "GET":
            response = altinn.http.get(url, follow_redirects=False)
        else:
            response = altinn.http.request(
                endpoint.method, url, data={"csrf_token": token}, follow_redirects=False
            )
        if (response.status_code >= 500 and response.status_code != 501) or ALTINN_SECRET in response.text:
            failures.append(f"{endpoint.method} {url}: {response.status_code} :: {response.text[:200]}")
    assert failures == [], "\n".join(failures)
    assert stored_of(altinn.http) == before, "the wrong inbox changed something"
    assert ALTINN_SECRET not in altinn.http.get("/inbox/").text


def test_a_recipient_signed_in_to_the_inbox_reaches_nothing_of_the_console(world: World) -> None:
    """The console is the operator's: a recipient's inbox session opens none of its pages or forms
    (each sends to the console's sign-in, or refuses), and changes nothing."""
    ids = _store_a_letter(world)
    token = _sign_in_to_inbox(world.http, world.recipients[MAILBOX_PERSON])
    check = _web("/console/sign-in")
    before = world.stored()
    failures, tried = [], 0
    for endpoint in endpoints(world.http.app):
        if not endpoint.path.startswith("/console/") or endpoint.path in PUBLIC:
            continue
        url = _fill(endpoint.path, ids)
        if endpoint.method == "GET":
            response = world.http.get(url, follow_redirects=False)
        else:
            response = world.http.request(
                endpoint.method, url, data={"csrf_token": token}, follow_redirects=False
            )
        tried += 1
        try:
            check(response)
            assert SECRET_SUBJECT not in response.text
        except AssertionError as exc:
            failures.append(f"{endpoint.method} {url}: {exc} :: {response.text[:200]}")
    assert tried > 20
    assert failures == [], "\n".join(failures)
    assert world.stored() == before
