"""A request that offers an HTTP/2 upgrade (``Upgrade: h2c``, as ``curl --http2`` sends over plain
HTTP) is answered as HTTP/1.1 with its body read.

uvicorn's httptools parser stops at the upgrade and the body was dropped: the platform API saw an
empty POST. A real ``postbud serve`` over TCP, one and two HTTP processes.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.integration.test_cli import POSTBUD, _free_port
from tests.integration.test_core_layers_serve_ports import _ready

ADMIN_TOKEN = "robust-h2c-admin-token"
H2C = {
    "Connection": "Upgrade, HTTP2-Settings",
    "Upgrade": "h2c",
    "HTTP2-Settings": "AAMAAABkAARAAAAAAAIAAAAA",
}


def _post(port: int, body: bytes, extra: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {
            "Authorization": f"Bearer {ADMIN_TOKEN}",
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
            **extra,
        }
        connection.request("POST", "/api/v1/recipients", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.parametrize("http_workers", [1, 2])
def test_a_post_offering_h2c_is_read_with_its_body(tmp_path: Path, http_workers: int) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    command = [
        str(POSTBUD), "serve", "--port", str(port), "--http-workers", str(http_workers),
        "--no-seed", "--data-dir", str(tmp_path / "data"),
    ]  # fmt: skip
    env = {**os.environ, "POSTBUD_WORKERS": "0", "POSTBUD_ADMIN_TOKEN": ADMIN_TOKEN}
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            _ready(f"http://127.0.0.1:{port}", process, log)
            body = json.dumps({"id": "15108695088", "name": "Ola Nordmann", "mailbox": True}).encode()
            upgraded_status, upgraded = _post(port, body, H2C)
            plain_status, plain = _post(port, body, {})
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    assert upgraded_status == 201, upgraded
    assert json.loads(upgraded)["recipient"]["name"] == "Ola Nordmann"
    assert plain_status == 200, plain  # the same recipient again: updated, so the first one was stored
