"""`postbud reset` says what it deleted in proper plurals (issue 12, defect 10)."""

from __future__ import annotations

from postbud.cli.reset import deleted_summary


def test_one_letter_and_one_file_are_singular() -> None:
    assert deleted_summary(1, 1) == "1 letter and 1 stored file deleted"


def test_none_and_many_are_plural() -> None:
    assert deleted_summary(0, 2) == "0 letters and 2 stored files deleted"
