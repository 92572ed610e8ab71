"""A missing tool skips a test on a developer's machine and fails it under CI (CI=true)."""

from __future__ import annotations

import pytest

from tests.tool_check import tool_missing, under_ci


@pytest.mark.parametrize("value", ["true", "TRUE", "1", "yes", " true "])
def test_ci_is_recognised(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert under_ci()


@pytest.mark.parametrize("value", ["", "false", "0", "no"])
def test_a_developer_machine_is_not_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert not under_ci()


def test_a_missing_tool_fails_the_test_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no rclone.*must run, not be skipped"):
        tool_missing("no rclone")


def test_a_missing_tool_skips_the_test_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no rclone"):
        tool_missing("no rclone")
