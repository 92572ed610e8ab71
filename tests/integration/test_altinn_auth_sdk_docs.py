"""Every ```python block of docs/sdk/altinn.md, run top to bottom against a live Postbud.

The blocks share one namespace, like a reader's session. The documented base URL and data folder
are pointed at the live server's; its world (the sender owning ``skd-melding``, the recipients) is
the one ``test_altinn_auth_sdk`` prepares.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest

from postbud.sdk.altinn import MaskinportenToken
from tests.integration.blob_servers import free_port
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


def test_the_examples_run_against_a_live_server(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "client-key.pem").write_bytes(live.owner_client_key())
    monkeypatch.chdir(tmp_path)
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
    assert isinstance(namespace["login"], MaskinportenToken)


SHELL_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)
SERVE_LINE = "postbud serve &"


def test_the_shell_examples_run_against_postbud_serve(tmp_path: Path) -> None:
    """The setup, curl and ``postbud token`` examples, in bash, against ``postbud serve`` (real processes)."""
    blocks = SHELL_BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert SERVE_LINE in blocks[0]
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "POSTBUD_DATA_DIR": str(tmp_path / "postbud-data"),
        "POSTBUD_PORT": str(port),
        "POSTBUD_WORKERS": "1",
    }
    env.pop("POSTBUD_DATABASE_URL", None)
    server = subprocess.Popen(
        [str(Path(bin_dir) / "postbud"), "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx2.get(f"http://127.0.0.1:{port}/correspondence/api/v1/correspondence", timeout=2)
                break
            except httpx2.TransportError:
                assert server.poll() is None, "postbud serve exited"
                assert time.monotonic() < deadline, "postbud serve did not start"
                time.sleep(0.2)
        outputs = []
        for block in blocks:
            script = "set -euo pipefail\n" + block.replace(SERVE_LINE, "true").replace("8080", str(port))
            done = subprocess.run(
                ["bash", "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, f"{block}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
            outputs.append(done.stdout)
    finally:
        server.terminate()
        server.wait(timeout=60)
    curl_output = outputs[1]
    assert '"status":"ReadyForPublish"' in curl_output
    assert '{"ids":["' in curl_output
