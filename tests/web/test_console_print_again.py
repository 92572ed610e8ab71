"""The console's "print again" for a letter whose print failed, through the whole app (TestClient)."""

from __future__ import annotations

import uuid

from postbud.web.console import paths
from tests.integration.test_console_web import Console, console, wait_for

__all__ = ["console"]


def _failed_print(console: Console) -> str:
    fault = {"probability": 1, "error": "Papirstopp"}
    assert console.api("PUT", "/sandbox/faults/channels/print", json=fault).status_code == 200
    letter = console.send_to_print("Brev på papir")
    wait_for(lambda: console.shipment(letter["id"])["status"] == "failed", what="the print to fail")
    assert console.api("DELETE", "/sandbox/faults/channels/print").status_code == 204
    letter_id: str = letter["id"]
    return letter_id


def test_a_failed_print_is_printed_again_from_the_console(console: Console) -> None:
    letter_id = _failed_print(console)
    action = f"/console/letters/{letter_id}/print-again"
    assert action == paths.print_again(uuid.UUID(letter_id))
    console.sign_in()
    for page in (f"/console/letters/{letter_id}", "/console/print", f"/console/print/{letter_id}"):
        html = console.client.get(page).text
        assert f'action="{action}"' in html, page
        assert "Print på nytt" in html
    assert "Papirstopp" in console.client.get(f"/console/print/{letter_id}").text

    before = console.event_types(letter_id)
    for token in (None, "forged"):
        data = {} if token is None else {"csrf_token": token}
        refused = console.client.post(action, data=data, follow_redirects=False)
        assert refused.status_code == 403
    assert console.event_types(letter_id) == before, "nothing recorded without the token"

    notice = console.notice(console.post(action, {"back": "/console/print"}))
    assert notice == "Brevet er sendt til print på nytt (forsøk 1)."
    wait_for(lambda: console.shipment(letter_id)["status"] == "posted", what="the new print")
    types = console.event_types(letter_id)
    assert types.count("print_failed") == 1
    assert types[-4:] == ["routed", "sent_to_print", "printed", "posted"]
    page = console.client.get(f"/console/letters/{letter_id}").text
    assert f'action="{action}"' not in page, "a posted letter is not printed again"
    assert "printing again, as an operator asked after the print failed" in page

    again = console.notice(console.post(action))
    assert "Bare et brev der printingen feilet" in again
    assert console.event_types(letter_id) == types


def test_print_again_needs_the_admin_and_an_existing_letter(console: Console) -> None:
    letter_id = _failed_print(console)
    token = console.token("/console/sign-in")
    anonymous = console.client.post(
        f"/console/letters/{letter_id}/print-again", data={"csrf_token": token}, follow_redirects=False
    )
    assert anonymous.headers["location"] == "/console/sign-in"
    assert console.shipment(letter_id)["status"] == "failed"
    console.sign_in()
    missing = console.post(f"/console/letters/{uuid.uuid4()}/print-again")
    assert missing.status_code == 404
