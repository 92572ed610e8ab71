"""``postbud serve --ekopost-port``: one server answers on its main port and on the dialect's own.

Real ``postbud serve`` processes (one, and two sharing the ports), reached over TCP: the dialect
answers at the root of its port, the main port keeps the platform and nothing of Ekopost at its root.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx2
import pytest

from tests.integration.test_cli import POSTBUD, SERVER_START_TIMEOUT_S, _free_port, postbud


def _ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while True:
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "postbud serve did not become ready"
        try:
            if httpx2.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)


@pytest.mark.slow
@pytest.mark.parametrize("http_workers", [1, 2])
def test_the_ekopost_dialect_answers_at_the_root_of_its_own_port(tmp_path: Path, http_workers: int) -> None:
    main, ekopost = _free_port(), _free_port()
    log = tmp_path / "serve.log"
    command = [
        str(POSTBUD), "serve", "--port", str(main), "--ekopost-port", str(ekopost),
        "--http-workers", str(http_workers), "--no-seed", "--data-dir", str(tmp_path / "data"),
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "POSTBUD_WORKERS": "0"},
        )
        try:
            _ready(f"http://127.0.0.1:{main}", process, log)
            on_its_port = httpx2.get(f"http://127.0.0.1:{ekopost}/campaigns", timeout=10)
            on_the_main_port = httpx2.get(f"http://127.0.0.1:{main}/campaigns", timeout=10)
            platform = httpx2.get(f"http://127.0.0.1:{main}/api/v1/openapi.json", timeout=10)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
    assert "Authorization: missing" in on_its_port.text, on_its_port.text
    assert on_the_main_port.status_code == 404
    assert platform.status_code == 200
    assert code in (0, -signal.SIGTERM), log.read_text()


def test_a_dialect_port_must_be_a_name_and_a_free_number() -> None:
    for args in (
        ["--dialect-port", "ekopost"],
        ["--dialect-port", "ekopost=abc"],
        ["--ekopost-port", "8080"],
    ):
        refused = postbud("serve", "--port", "8080", "--no-seed", *args)
        assert refused.exit_code == 2, (args, refused.stdout, refused.stderr)
