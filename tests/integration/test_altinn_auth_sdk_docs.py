"""Every ```python block of docs/sdk/altinn.md, run top to bottom against a live Postbud.

The blocks share one namespace, like a reader's session. The documented base URL and data folder
are pointed at the live server's; its world (the sender owning ``skd-melding``, the recipients) is
the one ``test_altinn_auth_sdk`` prepares.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.integration.test_altinn_auth_sdk import Live, live

__all__ = ["live"]

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk" / "altinn.md"
DOCUMENTED_URL = '"http://127.0.0.1:8080"'
DOCUMENTED_DATA_DIR = '"postbud-data"'
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[int, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start()) + 2, match.group(1)) for match in BLOCK.finditer(text)]


def test_the_document_has_an_example_for_every_section() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 8
    assert DOCUMENTED_URL in blocks[0][1]
    assert DOCUMENTED_DATA_DIR in blocks[0][1]
    assert all(DOCUMENTED_URL not in code for _, code in blocks[1:]), "only the first block names the URL"


def test_the_examples_run_against_a_live_server(live: Live) -> None:
    namespace: dict[str, Any] = {"__name__": "altinn_sdk_docs"}
    for line, code in python_blocks():
        source = code.replace(DOCUMENTED_URL, repr(live.url)).replace(
            DOCUMENTED_DATA_DIR, repr(str(live.data_dir))
        )
        try:
            exec(compile(source, f"{DOC.name}:{line}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"the example at {DOC.name} line {line} failed: {exc!r}") from exc
    # The examples assert their own outcomes; these check that the session ran to its end.
    assert namespace["overview"].correspondence_id == namespace["with_brochure"].correspondence_id
