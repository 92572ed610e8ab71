"""The request log line written without the standard library's handler chain is the line that chain
writes (JSON and console), and it still goes through the standard library when something else
listens there (a log capture, an embedder's handler)."""

from __future__ import annotations

import json
import logging
import re

import pytest
import structlog

from postbud import observability
from postbud.observability import configure_logging

FIELDS = {"method": "POST", "path": "/ekopost/campaigns/c-1/envelopes", "status": 200, "ms": 1.25}
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z")


def _only_our_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    """The root logger as `postbud serve` has it: our handler alone (pytest adds its own)."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [observability._handler])


def _both_lines(capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    line = observability._request_line
    assert line is not None
    with structlog.contextvars.bound_contextvars(request_id="req-1"):
        observability.log.info("request", **FIELDS)  # the standard library's chain
        through_stdlib = capsys.readouterr().err
        line.emit(**FIELDS)
        direct = capsys.readouterr().err
    return through_stdlib, direct


@pytest.mark.parametrize("json_logs", [True, False])
def test_the_direct_line_is_the_standard_librarys_line(
    json_logs: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_logging(json_logs=json_logs, level=logging.INFO)
    _only_our_handler(monkeypatch)
    through_stdlib, direct = _both_lines(capsys)
    assert direct.endswith("\n")
    assert direct.count("\n") == 1
    assert _TIMESTAMP.sub("T", direct) == _TIMESTAMP.sub("T", through_stdlib)
    if json_logs:
        record = json.loads(direct)
        assert list(record) == [*FIELDS, "event", "request_id", "level", "logger", "timestamp"]
        assert record["request_id"] == "req-1"
        assert record["logger"] == "postbud.observability"


def test_no_line_below_the_configured_level(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure_logging(json_logs=True, level=logging.WARNING)
    _only_our_handler(monkeypatch)
    assert _both_lines(capsys) == ("", "")


def test_another_listener_gets_the_line_through_the_standard_library(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(json_logs=True, level=logging.INFO)
    line = observability._request_line
    assert line is not None
    with caplog.at_level(logging.INFO):
        line.emit(**FIELDS)
    assert [r.name for r in caplog.records] == ["postbud.observability"]
    assert json.loads(capsys.readouterr().err)["path"] == FIELDS["path"]
