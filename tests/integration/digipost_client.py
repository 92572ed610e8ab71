"""A bare Digipost client for tests, written from the protocol description (not from the SDK).

It builds the multipart body by hand, signs requests as the real Java/.NET clients do and checks
every response signature against the certificate the entrypoint publishes.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from starlette.testclient import TestClient

V8 = "http://api.digipost.no/schema/v8"


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


@dataclass
class SignedClient:
    http: TestClient
    broker_id: int
    key: RSAPrivateKey
    prefix: str = "/digipost"
    server_certificate: x509.Certificate | None = None
    runtime_of: Any = None
    """Returns the server's Runtime; use ``run`` to call its async use cases from a test."""

    def run(self, function: Any, *args: Any) -> Any:
        """Run ``await function(*args)`` on the server's event loop (the TestClient portal)."""
        return self.http.portal.call(function, *args)  # type: ignore[union-attr]

    def headers(self, method: str, path: str, body: bytes | None, query: str = "") -> dict[str, str]:
        date = format_datetime(datetime.now(UTC), usegmt=True)
        headers = {"Date": date, "X-Digipost-UserId": str(self.broker_id)}
        lines = [method.upper(), path.lower(), f"date: {date}"]
        if body:
            headers["X-Content-SHA256"] = sha256_b64(body)
            lines.append(f"x-content-sha256: {headers['X-Content-SHA256']}")
        lines.append(f"x-digipost-userid: {self.broker_id}")
        lines.append(query.lower())
        canonical = "\n".join(lines) + "\n"
        signature = self.key.sign(canonical.encode(), padding.PKCS1v15(), hashes.SHA256())
        headers["X-Digipost-Signature"] = base64.b64encode(signature).decode()
        return headers

    def verify(self, response: Any, path: str) -> None:
        assert self.server_certificate is not None
        assert response.headers["x-content-sha256"] == sha256_b64(response.content)
        canonical = (
            f"{response.status_code}\n{path.lower()}\n"
            f"date: {response.headers['date']}\nx-content-sha256: {response.headers['x-content-sha256']}\n"
        )
        signature = base64.b64decode(response.headers["x-digipost-signature"])
        self.server_certificate.public_key().verify(  # type: ignore[union-attr,call-arg]
            signature, canonical.encode(), padding.PKCS1v15(), hashes.SHA256()
        )

    def entrypoint(self) -> Any:
        path = self.prefix + "/"
        response = self.http.get(
            path, headers={**self.headers("GET", path, None), "Accept": "application/vnd.digipost-v8+xml"}
        )
        from lxml import etree

        root = etree.fromstring(response.content)
        pem = root.findtext(f"{{{V8}}}certificate")
        self.server_certificate = x509.load_pem_x509_certificate(pem.encode())
        self.verify(response, path)
        return root

    def send(self, message_xml: str, documents: dict[str, bytes], *, version: int = 8) -> Any:
        boundary = uuid.uuid4().hex
        chunks = [
            f"--{boundary}\r\nContent-Type: application/vnd.digipost-v{version}+xml\r\n"
            f'Content-Disposition: attachment; filename="message"\r\n\r\n'.encode(),
            message_xml.encode(),
            b"\r\n",
        ]
        for name, content in documents.items():
            chunks += [
                f"--{boundary}\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Disposition: attachment; filename={name}\r\n\r\n".encode(),
                content,
                b"\r\n",
            ]
        chunks.append(f"--{boundary}--\r\n".encode())
        body = b"".join(chunks)
        path = self.prefix + "/messages"
        headers = self.headers("POST", path, body)
        headers["Content-Type"] = f"multipart/vnd.digipost-v{version}+xml; boundary={boundary}"
        headers["Accept"] = f"application/vnd.digipost-v{version}+xml"
        response = self.http.post(path, content=body, headers=headers)
        self.verify(response, path)
        return response


def key_pem(key: RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
