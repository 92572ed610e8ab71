"""Issue 12 defect 1: ``postbud clock show|advance|set|reset`` moves business time, and back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from postbud.cli.clock import parse_step
from tests.integration.test_cli import data_dir, failed_json, postbud, postbud_json

__all__ = ["data_dir"]


def test_advance_show_set_and_reset(data_dir: Path) -> None:
    folder = ("--data-dir", str(data_dir))
    assert postbud_json("clock", "show", *folder)["offset_seconds"] == 0
    assert postbud_json("clock", "advance", "7d", *folder)["offset_seconds"] == 7 * 86400
    human = postbud("clock", "show", *folder)
    assert human.exit_code == 0, human.stderr
    assert "Ahead of real time by 7 days" in human.stdout
    assert "0 jobs wait for a later time" in human.stdout

    target = datetime.now(UTC) + timedelta(days=30)
    moved = postbud_json("clock", "set", target.isoformat(), *folder)
    assert abs(datetime.fromisoformat(moved["now"]) - target) < timedelta(minutes=1)
    backwards = failed_json("clock", "set", datetime.now(UTC).isoformat(), *folder)
    assert "postbud clock reset" in backwards["errors"][0]["rule"]

    reset = postbud_json("clock", "reset", *folder)
    assert reset["offset_seconds"] == 0
    assert abs(datetime.fromisoformat(reset["now"]) - datetime.now(UTC)) < timedelta(minutes=1)
    assert "Runs on real time" in postbud("clock", "show", *folder).stdout


def test_a_step_that_is_not_a_duration_is_refused_naming_the_form(data_dir: Path) -> None:
    result = postbud("clock", "advance", "seven", "--data-dir", str(data_dir))
    assert result.exit_code == 2
    assert "write a whole number and a unit (d, h, m or s)" in " ".join(
        result.stderr.replace("│", " ").split()
    )
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("text", "step"),
    [("7d", timedelta(days=7)), ("36h", timedelta(hours=36)), ("1d12h", timedelta(days=1, hours=12)),
     ("90m", timedelta(minutes=90)), ("30s", timedelta(seconds=30))],
)  # fmt: skip
def test_durations(text: str, step: timedelta) -> None:
    assert parse_step(text) == step
