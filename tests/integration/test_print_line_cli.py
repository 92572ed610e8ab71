"""``postbud senders limits``: a sender's print quotas shown, changed, refused when negative."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_cli import failed_json, postbud_json

SWEDISH = "556838-4118"


def test_a_senders_print_limits_are_shown_changed_and_checked(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    postbud_json("senders", "add", "--name", "Ekokunden AB", "--orgnr", SWEDISH, "--data-dir", data)
    defaults = postbud_json("senders", "limits", "--sender", SWEDISH, "--data-dir", data)
    assert defaults == {
        "letters_per_month": None,
        "large_documents_per_day": 50,
        "large_document_bytes": 8 * 1024 * 1024,
    }
    changed = postbud_json(
        "senders",
        "limits",
        "--sender",
        SWEDISH,
        "--letters-per-month",
        "0",
        "--no-daily-limit",
        "--data-dir",
        data,
    )
    assert changed["letters_per_month"] == 0
    assert changed["large_documents_per_day"] is None
    assert postbud_json("senders", "limits", "--sender", SWEDISH, "--data-dir", data) == changed
    error = failed_json(
        "senders", "limits", "--sender", SWEDISH, "--large-documents-per-day", "-1", "--data-dir", data
    )
    assert "large_documents_per_day" in str(error)
    assert postbud_json("senders", "limits", "--sender", SWEDISH, "--data-dir", data) == changed
