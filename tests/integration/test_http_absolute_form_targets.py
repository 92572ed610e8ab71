"""A request whose target is in absolute form (``POST http://api.sandbox.ekopost.se/campaigns
HTTP/1.1``, as a client sends it through a proxy: Guzzle's ``proxy`` option, ``curl --proxy``) is
served as its origin form, on every port (RFC 9112 §3.2.2: a server must accept it).

uvicorn passed the whole URI on as the ASGI path, so Postbud answered 404. Raw bytes over a socket
to a real ``postbud serve``, whose HTTP protocol is ``postbud.http.lenient_target_protocol``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.integration.test_cli import POSTBUD, _free_port
from tests.integration.test_core_layers_serve_ports import _ready


@dataclass(frozen=True)
class Served:
    main: int
    ekopost: int
    api_key: str


def _exchange(port: int, request: bytes) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    status = re.match(rb"HTTP/1\.1 (\d{3}) ", received)
    assert status is not None, received
    return int(status[1]), received.partition(b"\r\n\r\n")[2]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("absolute-form")
    data_dir = folder / "data"
    added = subprocess.run(
        [str(POSTBUD), "senders", "add", "--name", "Proxy AB", "--orgnr", "5560360793", "--json",
         "--data-dir", str(data_dir)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    api_key = json.loads(added.stdout)["api_key"]
    main, ekopost = _free_port(), _free_port()
    command = [
        str(POSTBUD), "serve", "--port", str(main), "--ekopost-port", str(ekopost),
        "--no-seed", "--data-dir", str(data_dir),
    ]  # fmt: skip
    log = folder / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "POSTBUD_WORKERS": "0"}
        )
        try:
            _ready(f"http://127.0.0.1:{main}", process, log)
            yield Served(main, ekopost, api_key)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.slow
def test_a_post_in_absolute_form_to_the_ekopost_port_creates_the_campaign(served: Served) -> None:
    body = json.dumps({"name": "Via proxy"}).encode()
    request = (
        b"POST http://api.sandbox.ekopost.se/campaigns HTTP/1.1\r\n"
        b"Host: api.sandbox.ekopost.se\r\nConnection: close\r\n"
        b"Authorization: api-key " + served.api_key.encode() + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )

    status, answer = _exchange(served.ekopost, request)

    assert status == 200, answer
    assert json.loads(answer)["name"] == "Via proxy"


@pytest.mark.slow
def test_a_get_in_absolute_form_answers_as_in_origin_form(served: Served) -> None:
    def get(target: bytes, host: bytes | None = b"127.0.0.1") -> tuple[int, bytes]:
        host_line = b"Host: " + host + b"\r\n" if host is not None else b""
        return _exchange(
            served.main, b"GET " + target + b" HTTP/1.1\r\n" + host_line + b"Connection: close\r\n\r\n"
        )

    origin = get(b"/digipost/recipients/search/Nordmann")
    absolute = get(b"http://api.digipost.no/digipost/recipients/search/Nordmann")
    without_host = get(b"http://127.0.0.1/readyz", host=None)

    assert origin[0] == absolute[0] == 400  # unsigned: the dialect's own error, not a 404
    assert b"INVALID_USER_ID_HEADER" in absolute[1]
    assert without_host[0] == 200, without_host
