"""``postbud webhooks``: Ekopost's format defaults to the campaign's end, as Ekopost's own callbacks;
a webhook can be sent a test event and removed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.webhooks import deliver as webhook_delivery
from tests.integration.test_cli import ORGNR, failed_json, postbud, postbud_json
from tests.integration.webhook_receiver import hook_receiver


def _work(data_dir: Path) -> None:
    """What a running Postbud's workers would do: deliver what is queued."""

    async def drain() -> None:
        runtime = await build_runtime(Settings(data_dir=data_dir))
        try:
            worker = Worker(runtime, core_handlers())
            while await worker.run_once():
                pass
        finally:
            await webhook_delivery.close_http_client()
            await runtime.close()

    asyncio.run(drain())


def test_an_ekopost_webhook_gets_the_campaigns_end_unless_told_otherwise(tmp_path: Path) -> None:
    data_dir = str(tmp_path)
    postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", data_dir)
    ekopost = postbud_json(
        "webhooks", "add", "--sender", ORGNR, "--url", "https://example.com/eko", "--format", "ekopost",
        "--data-dir", data_dir,
    )  # fmt: skip
    assert ekopost["webhook"]["event_types"] == ["batch.cancelled", "batch.completed", "batch.failed"]
    assert ekopost["webhook"]["format"] == "ekopost"
    assert len(ekopost["secret"]) == 64, "Ekopost's secret: hex, for its HMAC-SHA1"
    chosen = postbud_json(
        "webhooks", "add", "--sender", ORGNR, "--url", "https://example.com/eko2", "--format", "ekopost",
        "--event", "delivered", "--data-dir", data_dir,
    )  # fmt: skip
    assert chosen["webhook"]["event_types"] == ["delivered"]
    standard = postbud_json(
        "webhooks", "add", "--sender", ORGNR, "--url", "https://example.com/std", "--data-dir", data_dir
    )
    assert standard["webhook"]["event_types"] == ["*"]


def test_a_webhook_is_sent_a_test_event_its_attempt_read_and_the_webhook_removed(tmp_path: Path) -> None:
    data_dir = str(tmp_path)
    postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", data_dir)
    with hook_receiver() as receiver:
        added = postbud_json(
            "webhooks", "add", "--sender", ORGNR, "--url", receiver.url("cli"), "--data-dir", data_dir
        )
        webhook_id = added["webhook"]["id"]
        queued = postbud_json("webhooks", "test", webhook_id, "--data-dir", data_dir)
        assert (queued["webhook_id"], queued["status"]) == (webhook_id, "pending")
        assert postbud_json("webhooks", "attempts", queued["id"], "--data-dir", data_dir) == []
        _work(tmp_path)
        [arrival] = receiver.at("cli")
    deliveries = postbud_json("webhooks", "deliveries", "--data-dir", data_dir)
    assert [(d["id"], d["status"]) for d in deliveries] == [(queued["id"], "delivered")]
    [attempt] = postbud_json("webhooks", "attempts", queued["id"], "--data-dir", data_dir)
    assert attempt["request"]["body"] == arrival.body.decode()
    assert attempt["request"]["headers"]["webhook-id"] == queued["id"]
    assert attempt["response"]["status_code"] == 204
    assert added["secret"] not in str(attempt)
    shown = postbud("webhooks", "attempts", queued["id"], "--data-dir", data_dir)
    assert shown.exit_code == 0, shown.stderr
    assert "Attempt 1" in shown.stdout
    assert f"> webhook-id: {queued['id']}" in shown.stdout

    removed = postbud_json("webhooks", "remove", webhook_id, "--data-dir", data_dir)
    assert removed["id"] == webhook_id
    assert postbud_json("webhooks", "list", "--data-dir", data_dir) == []
    assert postbud_json("webhooks", "deliveries", "--data-dir", data_dir) == []
    gone = failed_json("webhooks", "remove", webhook_id, "--data-dir", data_dir)
    assert gone["type"] == "urn:postbud:problem:not-found"
