"""The CLI after the layers work: migrate through a service, webhooks in each dialect's format."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_cli import ORGNR, data_dir, failed_json, postbud, postbud_json

__all__ = ["data_dir"]


def test_migrate_reports_the_revisions_without_the_password(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    migrated = postbud_json("migrate", "--data-dir", str(folder))
    assert migrated["from_revision"] is None
    assert migrated["to_revision"]
    assert migrated["database"].startswith("sqlite")
    again = postbud_json("migrate", "--data-dir", str(folder))
    assert again["from_revision"] == again["to_revision"] == migrated["to_revision"]


@pytest.mark.parametrize("fmt", ["standard", "ekopost", "cloudevents"])
def test_a_webhook_is_added_in_the_format_asked_for_and_listed_with_it(data_dir: Path, fmt: str) -> None:
    postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", str(data_dir))
    added = postbud_json(
        "webhooks", "add", "--sender", ORGNR, "--url", "https://example.com/hook", "--format", fmt,
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert added["webhook"]["format"] == fmt
    listed = postbud_json("webhooks", "list", "--data-dir", str(data_dir))
    assert [(w["id"], w["format"]) for w in listed] == [(added["webhook"]["id"], fmt)]
    table = postbud("webhooks", "list", "--data-dir", str(data_dir))
    assert table.exit_code == 0
    assert fmt in table.stdout


def test_a_webhook_format_nobody_speaks_is_refused(data_dir: Path) -> None:
    postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", str(data_dir))
    refused = postbud(
        "webhooks", "add", "--sender", ORGNR, "--url", "https://example.com/hook", "--format", "pigeon",
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert refused.exit_code != 0
    assert "pigeon" in refused.stdout + refused.stderr
    assert failed_json("webhooks", "list", "--sender", "889640782", "--data-dir", str(data_dir))["type"] == (
        "urn:postbud:problem:not-found"
    )


def test_a_recipient_gets_a_business_inbox_and_a_country_from_the_cli(data_dir: Path) -> None:
    added = postbud_json(
        "recipients", "add", "--id", "15108695088", "--name", "Ola Nordmann", "--business-inbox",
        "--address", "Drottninggatan 1|111 51|Stockholm", "--country", "SE", "--data-dir", str(data_dir),
    )  # fmt: skip
    recipient = added["recipient"]
    assert recipient["business_inbox"] is True
    assert recipient["postal_address"]["country"] == "SE"
    plain = postbud_json(
        "recipients", "add", "--id", "31129956715", "--name", "Kari", "--address", "Storgata 1|0150|Oslo",
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert plain["recipient"]["business_inbox"] is False
    assert plain["recipient"]["postal_address"]["country"] == "NO", "the deployment's country"
