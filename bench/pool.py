"""A pool of pre-built, signed Digipost sends for wrk: raw HTTP requests, each to be sent once.

Every request carries its own ~100 KB PDF (random padding, so no two are alike), its own
message-id and document uuid, and a Date taken when it was built: build the pool just before a
run, since the server accepts a Date only within five minutes of its clock.

On disk: one file per wrk thread (``slice-<n>.bin``), each a sequence of ``<length>\\n<request>``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from postbud.testing.pdf import pdf_file

V8 = "http://api.digipost.no/schema/v8"
PATH = "/digipost/messages"
PDF_BYTES = 100 * 1024


@dataclass(frozen=True, slots=True)
class PoolSpec:
    directory: Path
    broker_id: int
    key_pem: bytes
    recipients: tuple[str, ...]
    """Personal identification numbers of people with a digital mailbox, used in turn."""
    host: str


def letter_pdf(number: int, padding_bytes: int = PDF_BYTES) -> bytes:
    """A valid one-page PDF with an unreferenced stream of random bytes that makes it unique."""
    text = f"BT /F1 12 Tf 72 770 Td (Letter {number}) Tj ET".encode()
    filler = os.urandom(padding_bytes)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(filler), filler),
    ]
    return pdf_file(objects, header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


def _message_xml(recipient: str, document_uuid: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id>'
        f"<recipient><personal-identification-number>{recipient}</personal-identification-number>"
        f"</recipient><primary-document><uuid>{document_uuid}</uuid><subject>Vedtak</subject>"
        f"<file-type>pdf</file-type></primary-document></message>"
    ).encode()


def _signature(key: RSAPrivateKey, date: str, body_sha256: str, broker_id: int) -> str:
    canonical = (
        f"POST\n{PATH}\ndate: {date}\nx-content-sha256: {body_sha256}\nx-digipost-userid: {broker_id}\n\n"
    )
    return base64.b64encode(key.sign(canonical.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()


def signed_send(spec: PoolSpec, key: RSAPrivateKey, number: int, *, pdf_bytes: int = PDF_BYTES) -> bytes:
    """One complete HTTP/1.1 request: a v8 multipart send, signed as the Java client signs it."""
    document_uuid = str(uuid.uuid4())
    boundary = uuid.uuid4().hex
    recipient = spec.recipients[number % len(spec.recipients)]
    body = b"".join(
        [
            f"--{boundary}\r\nContent-Type: application/vnd.digipost-v8+xml\r\n"
            f'Content-Disposition: attachment; filename="message"\r\n\r\n'.encode(),
            _message_xml(recipient, document_uuid),
            f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n"
            f'Content-Disposition: attachment; filename="{document_uuid}"\r\n\r\n'.encode(),
            letter_pdf(number, pdf_bytes),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    date = format_datetime(datetime.now(UTC).replace(microsecond=0), usegmt=True)
    body_sha256 = base64.b64encode(hashlib.sha256(body).digest()).decode()
    head = (
        f"POST {PATH} HTTP/1.1\r\n"
        f"Host: {spec.host}\r\n"
        f"Content-Type: multipart/vnd.digipost-v8+xml; boundary={boundary}\r\n"
        f"Accept: application/vnd.digipost-v8+xml\r\n"
        f"Date: {date}\r\n"
        f"X-Digipost-UserId: {spec.broker_id}\r\n"
        f"X-Content-SHA256: {body_sha256}\r\n"
        f"X-Digipost-Signature: {_signature(key, date, body_sha256, spec.broker_id)}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _build_slice(spec: PoolSpec, slice_number: int, first: int, count: int) -> int:
    key = serialization.load_pem_private_key(spec.key_pem, password=None)
    assert isinstance(key, RSAPrivateKey)
    written = 0
    with (spec.directory / f"slice-{slice_number}.bin").open("wb") as out:
        for number in range(first, first + count):
            request = signed_send(spec, key, number)
            out.write(b"%d\n" % len(request))
            out.write(request)
            written += len(request)
    return written


def build_pool(spec: PoolSpec, total: int, slices: int, processes: int) -> int:
    """Write ``total`` requests split evenly over ``slices`` files; returns the bytes written."""
    spec.directory.mkdir(parents=True, exist_ok=True)
    per_slice = -(-total // slices)
    with ProcessPoolExecutor(processes) as pool:
        futures = [
            pool.submit(_build_slice, spec, index, index * per_slice, per_slice) for index in range(slices)
        ]
        return sum(future.result() for future in futures)
