"""Ekopost's envelope create, content and close and Altinn's initialize take the direct lane and answer
exactly as the full stack does: the same statuses, bodies and headers, the request id, the Date header
and the metrics under the route's template. Requests the lane must leave alone (an ``Origin`` header for
CORS, the paths of another port) still reach the full stack."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from starlette.routing import Match, Route

from postbud.app import create_app
from postbud.config import Settings
from postbud.dialects.ekopost.app import create_ekopost_app
from postbud.direct_lane import LaneRoutes
from postbud.services.runtime import Runtime
from tests.integration.altinn_api_fixtures import API, ORG_RECIPIENT, Altinn, altinn, correspondence
from tests.integration.test_ekopost_fixtures import (
    SMALL_DOCUMENT_LIMIT,
    Ekopost,
    content_body,
    ekopost,
    letter_pdf,
    small_ekopost,
)

__all__ = ["altinn", "ekopost", "small_ekopost"]

ORIGIN = "https://inbox.example"
_IDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}")
_VARYING = {"date", "x-request-id", "content-length"}


def _no_runtime() -> Runtime:
    raise AssertionError("not called: only the routes are compared")


def test_the_lane_picks_the_route_the_ekopost_router_picks() -> None:
    app = create_ekopost_app(_no_runtime)
    lane = LaneRoutes()
    for route in app.state.direct_routes:
        lane.add("/ekopost", route)
    paths = [
        "/campaigns/c-1/envelopes",
        "/campaigns/c-1/envelopes/e-1/close",
        "/campaigns/c-1/envelopes/e-1/content",
        "/campaigns/c%201/envelopes/e-1/content",
        "/campaigns/c-1/envelopes/failed",
        "/campaigns/c-1/envelopes/e-1",
        "/campaigns/c-1/close",
        "/campaigns/c-1/envelopes/e-1/content/x",
        "/campaigns//envelopes",
        "/campaigns",
    ]
    for method in ("POST", "GET"):
        for path in paths:
            hit = lane.match(method, "/ekopost" + path)
            first = _first_full_match(app.routes, method, path)
            if hit is None:
                assert first is None or first not in app.state.direct_routes, (method, path)
                continue
            prefix, route, params = hit
            assert prefix == "/ekopost"
            assert first is route, (method, path)
            assert params == _params_of(route, method, path)
    assert lane.match("POST", "/ekopostcampaigns/c-1/envelopes") is None


def _first_full_match(routes: list[Any], method: str, path: str) -> Route | None:
    scope = {"type": "http", "method": method, "path": path, "root_path": ""}
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route  # type: ignore[no-any-return]
    return None


def _params_of(route: Route, method: str, path: str) -> dict[str, Any]:
    _, child = route.matches({"type": "http", "method": method, "path": path, "root_path": ""})
    return child["path_params"]  # type: ignore[no-any-return]


def _shape(response: Response) -> tuple[int, str, list[tuple[str, str]]]:
    """A response without what differs between two answers to the same request (ids, times) and
    what Altinn's CORS layer adds for a request with an Origin (which the full stack answers)."""
    headers = sorted(
        (k, v)
        for k, v in response.headers.items()
        if k not in _VARYING and not k.startswith("access-control-") and k != "vary"
    )
    return response.status_code, _IDS.sub("ID", response.text), headers


def _ekopost_twice(ekopost: Ekopost, path: str, *, raw: bytes, key: str | None = None) -> None:
    """The same request on the lane and, with an Origin header, through the full stack."""
    headers = ekopost.headers(key)
    lane = ekopost.http.post(ekopost.base + path, content=raw, headers=headers)
    full = ekopost.http.post(ekopost.base + path, content=raw, headers=headers | {"origin": ORIGIN})
    assert _shape(lane) == _shape(full), path
    assert len(lane.headers["x-request-id"]) == 32
    assert lane.headers.get_list("date") == [lane.headers["date"]]


def _metric(http: TestClient, route: str, status: str) -> float:
    text = http.get("/metrics").text
    prefix = f'postbud_http_requests_total{{method="POST",route="{route}",status="{status}"}}'
    values = [float(line.split()[-1]) for line in text.splitlines() if line.startswith(prefix)]
    return values[0] if values else 0.0


def test_ekopost_answers_on_the_lane_as_through_the_full_stack(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()["id"]
    envelope = ekopost.envelope(campaign)["id"]
    missing = "00000000-0000-0000-0000-000000000000"
    body = json.dumps(content_body(letter_pdf())).encode()
    failures = [
        (f"/campaigns/{campaign}/envelopes", b"{not json"),
        (f"/campaigns/{campaign}/envelopes", b'{"name": 5, "address": {"$type": "nowhere"}}'),
        (f"/campaigns/{missing}/envelopes", b'{"name": "Brev"}'),
        (f"/campaigns/{campaign}/envelopes/{missing}/content", body),
        (f"/campaigns/{campaign}/envelopes/{envelope}/content", b'{"type": "document", "data": "@@"}'),
        (f"/campaigns/{campaign}/envelopes/{missing}/close", b"{}"),
        (f"/campaigns/{campaign}/envelopes/{envelope}/close", b"{}"),  # no document yet
    ]
    for path, raw in failures:
        _ekopost_twice(ekopost, path, raw=raw)
    _ekopost_twice(ekopost, f"/campaigns/{campaign}/envelopes", raw=b"{}", key="not-a-key")
    _ekopost_twice(ekopost, f"/campaigns/{campaign}/envelopes/{envelope}/close", raw=b"{}", key="not-a-key")

    route = "/ekopost/campaigns/{campaign_id}/envelopes/{envelope_id}/content"
    before = _metric(ekopost.http, route, "200")
    added = ekopost.add(campaign, envelope, content_body(letter_pdf()))
    assert added.status_code == 200, added.text
    assert _metric(ekopost.http, route, "200") == before + 1
    closed = ekopost.post(f"/campaigns/{campaign}/envelopes/{envelope}/close", {})
    assert closed.status_code == 200, closed.text
    # Closing twice: the same refusal either way.
    _ekopost_twice(ekopost, f"/campaigns/{campaign}/envelopes/{envelope}/close", raw=b"{}")


def test_a_body_over_the_limit_is_refused_on_the_lane_as_through_the_full_stack(
    small_ekopost: Ekopost,
) -> None:
    ekopost = small_ekopost
    campaign = ekopost.campaign()["id"]
    envelope = ekopost.envelope(campaign)["id"]
    too_large = b'{"type": "document", "data": "' + b"A" * (2 * SMALL_DOCUMENT_LIMIT) + b'"}'
    for path in (
        f"/campaigns/{campaign}/envelopes",
        f"/campaigns/{campaign}/envelopes/{envelope}/content",
        f"/campaigns/{campaign}/envelopes/{envelope}/close",
    ):
        _ekopost_twice(ekopost, path, raw=too_large)
        refused = ekopost.post(path, raw=too_large)
        assert refused.status_code == 413, refused.text
        assert refused.json()["error_code"] == "117"


@pytest.fixture
def ekopost_port(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    """The whole app with Ekopost at the root of port 18081, a client on that port, an API key."""
    app = create_app(Settings(data_dir=tmp_path / "data", workers=0), dialect_ports={"ekopost": 18081})
    with TestClient(app, base_url="http://127.0.0.1:18081") as http:
        from postbud.services.parties.senders import RegisterSender, register_sender

        runtime = app.state.runtime
        registered = http.portal.call(  # type: ignore[union-attr]
            lambda: register_sender(RegisterSender("Ekokunden AB", "556838-4118"), runtime)
        )
        yield http, registered.api_key


def test_on_the_ekopost_port_the_lane_serves_the_root_paths_only(
    ekopost_port: tuple[TestClient, str],
) -> None:
    http, key = ekopost_port
    headers = {"Authorization": f"api-key {key}", "Content-Type": "application/json"}
    campaign = http.post("/campaigns", json={"name": "Port", "output_date": "2026-01-01"}, headers=headers)
    assert campaign.status_code == 200, campaign.text
    path = f"/campaigns/{campaign.json()['id']}/envelopes"
    main_port = TestClient(http.app)  # /metrics is not served on the dialect's port
    route = "/campaigns/{campaign_id}/envelopes"
    before = _metric(main_port, route, "200")
    created = http.post(path, json={"name": "Brev"}, headers=headers)
    assert created.status_code == 200, created.text
    assert _metric(main_port, route, "200") == before + 1
    # The mounted paths and another dialect's lane are not served on this port: Ekopost's 501.
    for elsewhere in ("/ekopost" + path, "/digipost/messages"):
        answer = http.post(elsewhere, json={"name": "Brev"}, headers=headers)
        assert answer.status_code == 501, (elsewhere, answer.text)
        assert answer.json()["error_code"] == "501"


def test_altinn_initialize_answers_on_the_lane_as_through_the_full_stack(altinn: Altinn) -> None:
    path = f"{API}/correspondence"
    before = _metric(altinn.http, path, "200")
    made = altinn.initialize(correspondence(f"urn:altinn:organization:identifier-no:{ORG_RECIPIENT}"))
    assert made.status_code == 200, made.text
    assert _metric(altinn.http, path, "200") == before + 1
    assert len(made.headers["x-request-id"]) == 32
    assert made.headers.get_list("date") == [made.headers["date"]]

    refused = [
        ({"Content-Type": "application/json"}, b"{}"),  # no token
        (altinn.as_sender() | {"Content-Type": "application/json"}, b"{not json"),
        (altinn.as_sender() | {"Content-Type": "text/html"}, b"{}"),
        (altinn.as_sender() | {"Content-Type": "application/json", "Accept": "text/html"}, b"{}"),
        (altinn.as_sender() | {"Content-Type": "application/json"}, json.dumps({"recipients": []}).encode()),
    ]
    for headers, raw in refused:
        lane = altinn.http.post(path, content=raw, headers=headers)
        full = altinn.http.post(path, content=raw, headers=headers | {"origin": ORIGIN})
        assert lane.status_code >= 400
        assert _shape(lane) == _shape(full), raw
