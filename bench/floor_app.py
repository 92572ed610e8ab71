"""The protocol floor: only the work every Digipost-compatible server must do for a send.

A bare ASGI app (no framework, no storage): stream the multipart body through the parser while
hashing it, check the request's Date, body hash and RSA signature against the broker's
certificate, then answer 201 with a small XML body signed with an RSA-2048 key. It uses Postbud's
own multipart reader and signature functions, so the difference to Postbud is Postbud's own work.

Run: ``python -m bench.floor_app --certificate CERT --broker-id ID --port 8090 --processes 2``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import uuid
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from postbud.cli.http_processes import serve_in_processes
from postbud.dialects.digipost.keys import load_public_key
from postbud.dialects.digipost.multipart import MultipartInvalid, MultipartReader, boundary_of
from postbud.dialects.digipost.signing import RequestCheckFailed, check_request, sign_response_headers

MAX_PART_BYTES = 100 * 1024 * 1024
V8 = "http://api.digipost.no/schema/v8"


class FloorApp:
    def __init__(self, broker_id: int, broker_key: RSAPublicKey, server_key: RSAPrivateKey) -> None:
        self.broker_id = broker_id
        self.broker_key = broker_key
        self.server_key = server_key

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["path"] == "/healthz":
            await self._answer(send, scope["path"], 200, b"ok")
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        try:
            reader = MultipartReader(
                boundary_of(headers.get("content-type", "")), max_parts=203, max_part_bytes=MAX_PART_BYTES
            )
            digest = hashlib.sha256()
            more = True
            while more:
                message = await receive()
                chunk = message.get("body", b"")
                digest.update(chunk)
                reader.feed(chunk)
                more = message.get("more_body", False)
            parts = reader.finish()
            check_request(
                method=scope["method"],
                raw_path=scope["raw_path"].decode("latin-1"),
                query=scope["query_string"].decode("latin-1"),
                headers=headers,
                body_sha256_b64=base64.b64encode(digest.digest()).decode(),
                public_key_for=lambda _: self.broker_key,
                now=datetime.now(UTC),
            )
        except (MultipartInvalid, RequestCheckFailed) as exc:
            await self._answer(send, scope["path"], 400, str(exc).encode())
            return
        body = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><message-delivery xmlns="{V8}">'
            f"<message-id>{uuid.uuid4()}</message-id><delivery-method>DIGIPOST</delivery-method>"
            f"<status>DELIVERED</status><parts>{len(parts)}</parts></message-delivery>"
        ).encode()
        await self._answer(send, scope["path"], 201, body)

    async def _answer(self, send: Any, path: str, status: int, body: bytes) -> None:
        signed = sign_response_headers(
            status=status, request_path=path, body=body, private_key=self.server_key
        )
        headers = [(name.encode(), value.encode()) for name, value in signed.items()]
        headers += [
            (b"content-type", b"application/vnd.digipost-v8+xml"),
            (b"content-length", b"%d" % len(body)),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def floor_app(broker_id: int, certificate: Path) -> FloorApp:
    server_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return FloorApp(broker_id, load_public_key(certificate.read_bytes()), server_key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificate", type=Path, required=True, help="the broker's certificate (PEM)")
    parser.add_argument("--broker-id", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    serve_in_processes(
        partial(floor_app, args.broker_id, args.certificate),
        host=args.host,
        port=args.port,
        processes=args.processes,
        options={"log_level": "warning", "access_log": False, "server_header": False, "date_header": False},
    )


if __name__ == "__main__":
    main()
