"""The Altinn initialize floor: only the work every Altinn-compatible server must do per initialize.

A bare ASGI app (no framework, no storage) under the same uvicorn as Postbud: read the body, verify the
bearer token (RS256, issuer, key, expiry) with Postbud's own verifier and the key of the same data
folder, parse the same JSON, and answer 200 with one correspondence id per recipient in §3.8's shape.

Run: ``python -m bench.altinn_floor --data-dir DIR --public-url URL --port 8093 --processes 2``.
"""

from __future__ import annotations

import argparse
import json
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from postbud.cli.http_processes import serve_in_processes
from postbud.dialects.altinn.tokens import sandbox_issuers
from postbud.dialects.altinn.tokens_verify import TokenRejected, TokenVerifier
from postbud.services.sandbox.token_issuer import token_issuer

PATH = "/correspondence/api/v1/correspondence"


class AltinnFloor:
    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["path"] == "/healthz":
            await _answer(send, 200, {"status": "ok"})
            return
        chunks = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        if scope["path"] != PATH or scope["method"] != "POST":
            await _answer(send, 404, {"status": 404})
            return
        authorization = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        try:
            await self.verifier.verify(authorization.removeprefix("Bearer "))
        except TokenRejected as exc:
            await _answer(send, 401, {"status": 401, "detail": exc.reason})
            return
        try:
            body = json.loads(b"".join(chunks))
            recipients = body["recipients"]
            resource = body["correspondence"]["resourceId"]
        except (ValueError, KeyError, TypeError):
            await _answer(send, 400, {"status": 400})
            return
        correspondences = [
            {
                "correspondenceId": str(uuid.uuid4()),
                "status": "Initialized",
                "recipient": r,
                "notifications": [],
            }
            for r in recipients
        ]
        await _answer(
            send, 200, {"correspondences": correspondences, "attachmentIds": [], "resourceId": resource}
        )


async def _answer(send: Any, status: int, document: dict[str, Any]) -> None:
    body = json.dumps(document).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def altinn_floor(data_dir: Path, public_url: str) -> AltinnFloor:
    return AltinnFloor(TokenVerifier(token_issuer(data_dir), sandbox_issuers(public_url)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir", type=Path, required=True, help="the data folder whose token key to trust"
    )
    parser.add_argument("--public-url", required=True, help="the URL the tokens name as issuer")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    serve_in_processes(
        partial(altinn_floor, args.data_dir, args.public_url),
        host=args.host,
        port=args.port,
        processes=args.processes,
        options={"log_level": "warning", "access_log": False, "server_header": False, "date_header": False},
    )


if __name__ == "__main__":
    main()
