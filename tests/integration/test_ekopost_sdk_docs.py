"""Every ```python block of docs/sdk/ekopost.md, run top to bottom against a live Postbud.

The blocks share one namespace, like a reader's session. The documented base URL and API key are
pointed at the live server and the customer's key; the files the examples read (``letter.pdf``,
``bilaga.pdf``) are made in a scratch working directory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from postbud.sdk.ekopost import EkopostClient, SentLetter
from tests.integration.test_ekopost_fixtures import letter_pdf
from tests.integration.test_ekopost_sdk_fixtures import LiveEkopost, live

__all__ = ["live"]

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk" / "ekopost.md"
DOCUMENTED_URL = '"http://127.0.0.1:8080/ekopost/"'
DOCUMENTED_KEY = '"your-api-key"'
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[int, str]]:
    """(line number, code) of each python block in the document."""
    text = DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start()) + 2, match.group(1)) for match in BLOCK.finditer(text)]


def test_the_document_has_examples_for_every_section() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 9
    assert DOCUMENTED_URL in blocks[0][1]
    assert DOCUMENTED_KEY in blocks[0][1]
    assert all(DOCUMENTED_URL not in code and DOCUMENTED_KEY not in code for _, code in blocks[1:])


def test_the_examples_run_against_a_live_server(
    live: LiveEkopost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "letter.pdf").write_bytes(letter_pdf())
    (tmp_path / "bilaga.pdf").write_bytes(letter_pdf((), body="Bilaga"))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "ekopost_sdk_docs"}
    try:
        for line, code in python_blocks():
            source = code.replace(DOCUMENTED_URL, repr(live.base_url)).replace(
                DOCUMENTED_KEY, repr(live.api_key)
            )
            try:
                exec(compile(source, f"{DOC.name}:{line}", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"the example at {DOC.name} line {line} failed: {exc!r}") from exc
    finally:
        client = namespace.get("client")
        if isinstance(client, EkopostClient):
            client.close()
    # The examples assert their own outcomes; these check that the session really ran to the end.
    assert isinstance(namespace["sent"], SentLetter)
    assert namespace["envelope"].state == "opened"
    assert len(namespace["examples"]) == 10
    assert callable(namespace["on_webhook"])
