"""A logged exception's traceback names the frames, never their local variables (keys, certificates,
letters would otherwise reach the log): issue 11 §3."""

from __future__ import annotations

import logging

import pytest
import structlog

from postbud.observability import configure_logging


def _fails_holding_a_secret() -> None:
    secret = "pem-of-a-private-key"  # noqa: F841 - the local a rich traceback would print
    raise RuntimeError("boom")


def test_the_console_log_shows_the_traceback_but_no_locals(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(json_logs=False, level=logging.INFO)
    try:
        _fails_holding_a_secret()
    except RuntimeError:
        structlog.get_logger("test").exception("request failed")

    logged = capsys.readouterr().err
    assert "RuntimeError: boom" in logged
    assert "_fails_holding_a_secret" in logged
    assert "pem-of-a-private-key" not in logged
