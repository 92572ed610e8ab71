"""Ekopost SMS mailings through the whole app on SQLite and PostgreSQL: stored before the 200,
sent in batches by the core's SMS channel (captured per recipient in the sandbox), each recipient's
status in the poll, every change an appended event, other customers' mailings not found, and
nothing written for a request that breaks a rule."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from typing import Any

import httpx2 as httpx
from sqlalchemy import func, select

from postbud.domain.channels import Channel
from postbud.domain.sms_mailings import BATCH_SIZE
from postbud.services.sandbox.reset import reset_sandbox
from postbud.storage import schema
from tests.integration.ekosms_console import ADMIN_TOKEN, sign_in
from tests.integration.test_ekopost_fixtures import Ekopost, ekopost

__all__ = ["ekopost"]
TEXT = "Hej! Din tid hos tandläkaren är bokad 12 december kl. 10.00."


def _body(numbers: list[Any], text: str = TEXT, **fields: Any) -> dict[str, Any]:
    data = base64.b64encode(text.encode()).decode()
    return {"mime": "text/plain", "data": data, "FromName": "Tandvården", "recipients": numbers, **fields}


def _mobiles(count: int, start: int = 0) -> list[str]:
    """Swedish mobile numbers in national form (070-1xxxxxx)."""
    return [f"0701{n:06d}" for n in range(start, start + count)]


def _poll(ekopost: Ekopost, mailing_id: str, **params: str) -> dict[str, Any]:
    response = ekopost.get(f"/sms/{mailing_id}", params=params or None)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _until_completed(ekopost: Ekopost, mailing_id: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (found := _poll(ekopost, mailing_id))["state"] != "completed":
        assert time.monotonic() < deadline, found
        ekopost.run(lambda: asyncio.sleep(0.05))
    return found


def _count(ekopost: Ekopost, table: Any) -> int:
    async def count() -> int:
        async with ekopost.runtime.reader() as uow:
            return int(await uow.conn.scalar(select(func.count()).select_from(table)) or 0)

    return ekopost.run(count)


def _error(response: httpx.Response, code: str, status: int = 400, mentions: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    if mentions is not None:
        assert mentions in body["developer_message"], body


def test_a_mailing_is_sent_to_each_number_and_captured_with_its_text(ekopost: Ekopost) -> None:
    response = ekopost.post("/sms", _body(["070-123 45 67", "+46 70 765 43 21", "+4791234567"]))
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["from_name"] == "Tandvården"
    assert created["recipient_count"] == 3
    assert created["state"] in {"sending", "completed"}
    assert [r["recipient"] for r in created["recipients"]] == ["+46701234567", "+46707654321", "+4791234567"]

    done = _until_completed(ekopost, created["id"])
    assert (done["sent_count"], done["failed_count"], done["queued_count"]) == (3, 0, 0)
    assert {r["state"] for r in done["recipients"]} == {"sent"}

    async def captured() -> list[dict[str, Any]]:
        async with ekopost.runtime.reader() as uow:
            recipients = await uow.sms_mailings.recipients(uuid.UUID(created["id"]))
        return [json.loads(await ekopost.runtime.blobs.get(r.sms_sha256 or "")) for r in recipients]

    messages = ekopost.run(captured)
    assert [(m["to"], m["from"], m["text"]) for m in messages] == [
        ("+46701234567", "Tandvården", TEXT),
        ("+46707654321", "Tandvården", TEXT),
        ("+4791234567", "Tandvården", TEXT),
    ]


def test_every_status_change_is_an_appended_event(ekopost: Ekopost) -> None:
    created = ekopost.post("/sms", _body(_mobiles(2))).json()
    _until_completed(ekopost, created["id"])

    async def events() -> list[tuple[str, int | None]]:
        async with ekopost.runtime.reader() as uow:
            return [(t, p) for t, p, _ in await uow.sms_mailings.events(uuid.UUID(created["id"]))]

    found = ekopost.run(events)
    assert found[0] == ("created", None)
    assert sorted(found[1:3], key=lambda e: e[1] or 0) == [("sent", 0), ("sent", 1)]
    assert found[3:] == [("completed", None)]


def test_a_large_mailing_goes_in_batches_and_the_poll_pages_its_recipients(ekopost: Ekopost) -> None:
    count = 2 * BATCH_SIZE + 7
    created = ekopost.post("/sms", _body(_mobiles(count))).json()
    assert created["recipient_count"] == count
    assert len(created["recipients"]) == 1000
    assert created["next_offset"] == 1000

    async def jobs() -> int:
        async with ekopost.runtime.reader() as uow:
            query = select(func.count()).where(schema.jobs.c.kind == "sms_mailing.send")
            return int(await uow.conn.scalar(query) or 0)

    assert ekopost.run(jobs) == 3
    done = _until_completed(ekopost, created["id"])
    assert done["sent_count"] == count
    last = _poll(ekopost, created["id"], offset="1000", limit="10")
    assert [r["recipient"] for r in last["recipients"]] == [f"+467010{n:05d}" for n in range(1000, 1007)]
    assert last["next_offset"] is None


def test_the_same_number_twice_gets_one_sms(ekopost: Ekopost) -> None:
    created = ekopost.post("/sms", _body(["0701234567", "+46701234567", "0046701234567"])).json()
    assert created["recipient_count"] == 1


def test_a_fault_the_sandbox_injects_fails_each_recipient_with_its_reason(ekopost: Ekopost) -> None:
    ekopost.runtime.faults.set(Channel.SMS, 1.0, "operator refused")
    created = ekopost.post("/sms", _body(_mobiles(2))).json()
    done = _until_completed(ekopost, created["id"])
    assert (done["sent_count"], done["failed_count"]) == (0, 2)
    assert {r["failed_reason"] for r in done["recipients"]} == {"operator refused"}


def test_another_customers_mailing_and_an_unknown_one_are_not_found(ekopost: Ekopost) -> None:
    created = ekopost.post("/sms", _body(_mobiles(1))).json()
    _error(ekopost.get(f"/sms/{created['id']}", key=ekopost.other_api_key), "127", 404)
    _error(ekopost.get(f"/sms/{uuid.uuid4()}"), "127", 404)
    _error(ekopost.get("/sms/not-an-id"), "127", 404)
    _error(ekopost.get(f"/sms/{created['id']}", params={"limit": "x"}), "127", mentions="limit")


def test_each_broken_rule_has_its_code_and_writes_nothing(ekopost: Ekopost) -> None:
    valid = _body(_mobiles(2))
    cases = [
        ({**valid, "mime": "text/html"}, "128", "mime"),
        ({**valid, "data": ""}, "129", "data"),
        ({**valid, "data": base64.b64encode(b"   ").decode()}, "129", "data"),
        ({**valid, "data": "ej base64"}, "130", "data"),
        ({**valid, "data": base64.b64encode(b"\xff\xfe").decode()}, "130", "data"),
        ({**valid, "recipients": ["0701234567", "0812345678"]}, "131", "recipients[1]: 0812345678"),
        ({**valid, "recipients": ["0701234567", "123"]}, "131", "recipients[1]"),
        ({**valid, "recipients": ["0701234567", None]}, "131", "recipients[1]"),
        ({**valid, "recipients": {"a": 1}}, "131", "recipients"),
        ({**valid, "recipients": []}, "132", "recipients"),
        ({k: v for k, v in valid.items() if k != "recipients"}, "132", "recipients"),
        ({**valid, "FromName": ""}, "133", "FromName"),
        ({k: v for k, v in valid.items() if k != "FromName"}, "133", "FromName"),
        ({**valid, "FromName": "Tandvården Sverige"}, "127", "FromName"),
        ({**valid, "FromName": 12}, "127", "FromName"),
        ({**valid, "FromName": "+461234567890123"}, "127", "FromName"),
        ({**valid, "recipients": _mobiles(100_001)}, "134", "100001"),
        (_body(_mobiles(1), text="å" * 1601), "127", "1600"),
    ]
    for body, code, mentions in cases:
        _error(ekopost.post("/sms", body), code, mentions=mentions)
    assert _count(ekopost, schema.sms_mailings) == 0
    assert _count(ekopost, schema.sms_mailing_recipients) == 0
    assert _count(ekopost, schema.sms_mailing_events) == 0


def test_keys_in_any_case_and_a_text_of_1600_characters_are_taken(ekopost: Ekopost) -> None:
    text = "x" * 1600
    body = {
        "Mime": "text/plain; charset=utf-8",
        "Data": base64.b64encode(text.encode()).decode(),
        "from_name": "46701234567",
        "Recipients": "0701234567",
    }
    response = ekopost.post("/sms", body)
    assert response.status_code == 200, response.text
    assert response.json()["from_name"] == "46701234567"


def test_each_sms_of_a_mailing_is_a_capture_in_the_console_and_the_platform_api(ekopost: Ekopost) -> None:
    created = ekopost.post("/sms", _body(["0701234567", "0707654321"])).json()
    _until_completed(ekopost, created["id"])
    listed = ekopost.http.get(
        "/api/v1/sandbox/captures",
        params={"channel": "sms"},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert sorted(i["to"] for i in items) == ["+46701234567", "+46707654321"]
    assert {(i["kind"], i["mailing_id"], i["shipment_id"]) for i in items} == {
        ("mailing", created["id"], None)
    }

    sign_in(ekopost.http)
    page = ekopost.http.get("/console/captures")
    assert page.status_code == 200
    assert "+46707654321" in page.text
    assert created["id"] in page.text
    one = ekopost.http.get(f"/console/captures/{items[0]['id']}")
    assert one.status_code == 200
    assert "tandläkaren" in one.text
    assert "Tandvården" in one.text
    raw = ekopost.http.get(f"/console/captures/{items[0]['id']}/raw")
    assert json.loads(raw.content)["text"] == TEXT


def test_a_sandbox_reset_removes_mailings_and_their_captured_messages(ekopost: Ekopost) -> None:
    created = ekopost.post("/sms", _body(_mobiles(2))).json()
    _until_completed(ekopost, created["id"])

    async def blobs_after_reset() -> list[bool]:
        async with ekopost.runtime.reader() as uow:
            shas = [r.sms_sha256 or "" for r in await uow.sms_mailings.recipients(uuid.UUID(created["id"]))]
        assert all(shas)
        await reset_sandbox(ekopost.runtime)
        return [await ekopost.runtime.blobs.exists(sha) for sha in shas]

    assert ekopost.run(blobs_after_reset) == [False, False]
    for table in (schema.sms_mailings, schema.sms_mailing_recipients, schema.sms_mailing_events):
        assert _count(ekopost, table) == 0
    _error(ekopost.get(f"/sms/{created['id']}"), "127", 404)
