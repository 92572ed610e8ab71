"""``postbud webhooks``: Ekopost's format defaults to the campaign's end, as Ekopost's own callbacks;
a webhook can be sent a test event and removed."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import ORGNR, failed_json, postbud_json


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


def test_a_webhook_is_sent_a_test_event_and_removed(tmp_path: Path) -> None:
    data_dir = str(tmp_path)
    postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", data_dir)
    added = postbud_json(
        "webhooks", "add", "--sender", ORGNR, "--url", "https://example.com/h", "--data-dir", data_dir
    )
    webhook_id = added["webhook"]["id"]
    queued = postbud_json("webhooks", "test", webhook_id, "--data-dir", data_dir)
    assert (queued["webhook_id"], queued["status"]) == (webhook_id, "pending")
    deliveries = postbud_json("webhooks", "deliveries", "--data-dir", data_dir)
    assert [d["id"] for d in deliveries] == [queued["id"]]

    removed = postbud_json("webhooks", "remove", webhook_id, "--data-dir", data_dir)
    assert removed["id"] == webhook_id
    assert postbud_json("webhooks", "list", "--data-dir", data_dir) == []
    assert postbud_json("webhooks", "deliveries", "--data-dir", data_dir) == []
    gone = failed_json("webhooks", "remove", webhook_id, "--data-dir", data_dir)
    assert gone["type"] == "urn:postbud:problem:not-found"
