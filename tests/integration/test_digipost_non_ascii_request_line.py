"""A Digipost request whose request line carries letters outside ASCII, unencoded, is served.

Digipost's Java client 18.x sends ``search("Åse Ødegård")`` as ``GET
/digipost/recipients/search/\\xc5se%20\\xd8deg\\xe5rd`` (ISO-8859-1 bytes: Apache HttpClient 5 writes a
character per byte), signed over the decoded path, and verifies the answer over the path as it wrote
it; other clients send UTF-8. uvicorn's parsers answered both with a bare ``400`` before the dialect
saw them. Raw bytes over a socket to a real ``postbud serve``, which speaks through
``postbud.http.lenient_target_protocol``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from lxml import etree

from postbud.dialects.digipost.signing import http_date, request_string_to_sign, sign, verify_response
from tests.integration.test_cli import POSTBUD, _free_port
from tests.integration.test_core_layers_serve_ports import _ready

BROKER_ID = 777002
ASE = ("12038510183", "Åse Ødegård", "Storgata 9|0155|Oslo")
NS = "{http://api.digipost.no/schema/v8}"


@dataclass(frozen=True)
class Served:
    port: int
    key: RSAPrivateKey
    server_key: RSAPublicKey


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _cli(data_dir: Path, *args: str) -> None:
    result = subprocess.run(
        [str(POSTBUD), *args, "--data-dir", str(data_dir)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _exchange(port: int, request: bytes) -> Answer:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("iso-8859-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(status_line.split(" ")[1]), headers, body)


def _signed_get(served: Served, target: bytes, signed_path: str, signed_query: str = "") -> Answer:
    headers = {"Date": http_date(datetime.now(UTC)), "X-Digipost-UserId": str(BROKER_ID)}
    signature = sign(served.key, request_string_to_sign("GET", signed_path, headers, signed_query))
    lines = [b"GET " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [f"{name}: {value}".encode() for name, value in headers.items()]
    lines += [
        b"Accept: application/vnd.digipost-v8+xml",
        f"X-Digipost-Signature: {signature}".encode(),
    ]
    return _exchange(served.port, b"\r\n".join(lines) + b"\r\n\r\n")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("non-ascii")
    data_dir = folder / "data"
    key_file = folder / "sender-key.pem"
    _cli(
        data_dir, "senders", "add", "--name", "Tegn Kommune", "--orgnr", "974760673",
        "--digipost-id", str(BROKER_ID), "--generate-key", str(key_file),
    )  # fmt: skip
    person, name, address = ASE
    _cli(data_dir, "recipients", "add", "--id", person, "--name", name, "--mailbox", "--address", address)
    port = _free_port()
    log = folder / "serve.log"
    command = [str(POSTBUD), "serve", "--port", str(port), "--no-seed", "--data-dir", str(data_dir)]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "POSTBUD_WORKERS": "0"}
        )
        try:
            _ready(f"http://127.0.0.1:{port}", process, log)
            entrypoint = _exchange(port, b"GET /digipost/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            certificate = etree.fromstring(entrypoint.body).findtext(f"{NS}certificate")
            assert certificate, entrypoint
            server_key = x509.load_pem_x509_certificate(certificate.encode()).public_key()
            key = load_pem_private_key(key_file.read_bytes(), password=None)
            assert isinstance(key, RSAPrivateKey)
            assert isinstance(server_key, RSAPublicKey)
            yield Served(port, key, server_key)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def _found_names(answer: Answer) -> list[str]:
    root = etree.fromstring(answer.body)
    return [
        f"{r.findtext(f'{NS}firstname')} {r.findtext(f'{NS}lastname')}" for r in root.iter(f"{NS}recipient")
    ]


@pytest.mark.slow
def test_the_java_clients_iso_8859_1_search_is_served_and_verifies_as_the_client_checks(
    served: Served,
) -> None:
    answer = _signed_get(
        served,
        b"/digipost/recipients/search/\xc5se%20\xd8deg\xe5rd",
        signed_path="/digipost/recipients/search/Åse Ødegård",  # getUri().getPath(): decoded
    )

    assert answer.status == 200, answer
    assert _found_names(answer) == ["Åse Ødegård"]
    verify_response(  # over getPath(): the path as the client wrote it
        status=answer.status,
        request_path="/digipost/recipients/search/Åse%20Ødegård",
        headers=answer.headers,
        body=answer.body,
        public_key=served.server_key,
        now=datetime.now(UTC),
    )


@pytest.mark.slow
def test_a_utf_8_search_signed_over_the_path_as_sent_is_served(served: Served) -> None:
    sent = "/digipost/recipients/suggest/Åse%20Øde"

    answer = _signed_get(served, sent.encode(), signed_path=sent)

    assert answer.status == 200, answer
    suggestions = etree.fromstring(answer.body).iter(f"{NS}search-string")
    assert any("Åse Ødegård" in (s.text or "") for s in suggestions), answer.body.decode()
    verify_response(  # a client that signs the raw path verifies over the decoded one (16.4.2 and older)
        status=answer.status,
        request_path="/digipost/recipients/suggest/Åse Øde",
        headers=answer.headers,
        body=answer.body,
        public_key=served.server_key,
        now=datetime.now(UTC),
    )


@pytest.mark.slow
def test_a_query_with_such_letters_is_verified_as_the_client_sent_it(served: Served) -> None:
    answer = _signed_get(
        served,
        "/digipost/documents/events?from=æøå&to=Å".encode(),
        signed_path="/digipost/documents/events",
        signed_query="from=æøå&to=Å",  # the raw query, as received (reference §2.3)
    )

    code = etree.fromstring(answer.body).findtext(f"{NS}error-code")
    assert (answer.status, code) == (400, "INVALID_DATE"), answer  # signed fine; the dates are not dates


@pytest.mark.slow
def test_an_unsigned_request_with_such_letters_gets_digipost_s_own_error(served: Served) -> None:
    answer = _exchange(
        served.port,
        b"GET /digipost/recipients/search/\xc3\xa6\xc3\xb8\xc3\xa5 HTTP/1.1\r\n"
        b"Host: x\r\nConnection: close\r\n\r\n",
    )

    assert answer.status in (400, 403), answer
    assert etree.fromstring(answer.body).findtext(f"{NS}error-code") in {
        "INVALID_USER_ID_HEADER",
        "UNKNOWN_USER_ID",
    }


@pytest.mark.slow
def test_requests_with_and_without_such_letters_pipelined_on_one_connection_are_each_answered(
    served: Served,
) -> None:
    requests = b"".join(
        b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        for target in (b"/readyz", b"/digipost/recipients/search/\xc5se", b"/readyz")
    )

    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as sock:
        sock.sendall(requests + b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk

    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", received)
    assert statuses == [b"200", b"400", b"200", b"200"]  # the search: unsigned, Digipost's 400
