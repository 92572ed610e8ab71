"""The send takes the direct lane of the whole app and keeps what the full stack gave it."""

from __future__ import annotations

import uuid

from lxml import etree

from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import MAILBOX_PERSON, a_pdf, error_code, message, whole_app_client

__all__ = ["whole_app_client"]

SEND_PATH = "/digipost/messages"


def _metric(client: SignedClient, status: str) -> float:
    text = client.http.get("/metrics").text
    prefix = f'postbud_http_requests_total{{method="POST",route="{SEND_PATH}",status="{status}"}}'
    values = [float(line.split()[-1]) for line in text.splitlines() if line.startswith(prefix)]
    return values[0] if values else 0.0


def test_a_send_is_answered_signed_with_request_id_and_counted(whole_app_client: SignedClient) -> None:
    client = whole_app_client
    before = _metric(client, "201")
    document = str(uuid.uuid4())
    xml = message(
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>", document
    )
    response = client.send(xml, {document: a_pdf()})  # verifies the response signature
    assert response.status_code == 201, response.text
    assert etree.fromstring(response.content).tag == f"{{{V8}}}message-delivery"
    assert len(response.headers["x-request-id"]) == 32
    assert response.headers.get_list("date") == [response.headers["date"]]  # exactly one Date
    assert _metric(client, "201") == before + 1


def test_failures_on_the_lane_are_signed_digipost_errors(whole_app_client: SignedClient) -> None:
    client = whole_app_client
    unsigned = client.http.post(
        SEND_PATH,
        content=b"--b--\r\n",
        headers={"Content-Type": "multipart/vnd.digipost-v8+xml; boundary=b", "X-Request-ID": "lane-test-1"},
    )
    assert unsigned.status_code == 400
    client.verify(unsigned, SEND_PATH)
    assert error_code(unsigned) is not None
    assert unsigned.headers["x-request-id"] == "lane-test-1"
    assert _metric(client, "400") >= 1


def test_other_methods_and_paths_take_the_full_stack(whole_app_client: SignedClient) -> None:
    client = whole_app_client
    assert client.http.get(SEND_PATH).status_code in (404, 405, 501)  # routed by the dialect, not the lane
    assert client.http.get("/healthz").status_code == 200
    assert "date" in client.http.get("/healthz").headers  # given by the full stack's Date middleware
