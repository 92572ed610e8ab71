"""The inbox card of a verifiable-credential notice shows its id and validity (issue 11 D1)."""

from __future__ import annotations

from postbud.services.sandbox.sample_letters import example_datatypes
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]


def test_the_card_shows_the_credential_id_and_its_validity(world: World) -> None:
    notice = {
        "kind": "verifiable-credential-notice",
        **example_datatypes(world.runtime.clock.now())["verifiable-credential-notice"],
    }
    letter = world.send(world.ola, "Nytt kompetansebevis", datatype=notice)
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{letter.id}").text
    assert "KB-2026-0042" in page
    assert "Gyldig" in page
    assert "Nytt kompetansebevis" in page


def test_a_notice_without_them_shows_only_its_title(world: World) -> None:
    notice = {"kind": "verifiable-credential-notice", "title": "Førerkort"}
    letter = world.send(world.ola, "Førerkort", datatype=notice)
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{letter.id}").text
    assert "Førerkort" in page
    assert "Gyldig" not in page
