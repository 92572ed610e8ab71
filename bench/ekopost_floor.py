"""The Ekopost ingest floor: only the work every Ekopost-compatible server must do per envelope.

A bare ASGI app (no framework, no storage, no PDF parsing) under the same uvicorn as Postbud. For the
three requests of an envelope it reads the body, parses the same JSON and, for a content, base64-decodes
the data and checks its ``length``; it answers 200 with a small JSON object of the fields the
benchmark's wrk script reads (``id``, ``name``, ``state``; ``length`` and ``type`` for a content).

Run: ``python -m bench.ekopost_floor --port 8092 --processes 2``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import re
import uuid
from typing import Any

from postbud.cli.http_processes import serve_in_processes

ROUTE = re.compile(r"^/ekopost/campaigns/[^/]+/envelopes(?:/(?P<envelope>[^/]+)/(?P<step>content|close))?$")


class EkopostFloor:
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
        route = ROUTE.match(scope["path"])
        authorized = any(name == b"authorization" for name, _ in scope["headers"])
        if route is None or scope["method"] != "POST" or not authorized:
            await _answer(send, 404, {"error_code": "0"})
            return
        try:
            body = json.loads(b"".join(chunks) or b"{}")
            answer = _step(route["envelope"], route["step"], body)
        except (ValueError, binascii.Error, KeyError, TypeError):
            await _answer(send, 400, {"error_code": "127"})
            return
        await _answer(send, 200, answer)


def _step(envelope: str | None, step: str | None, body: Any) -> dict[str, Any]:
    if step is None:  # create an envelope
        return {
            "id": str(uuid.uuid4()),
            "name": body["name"],
            "address": body.get("address"),
            "state": "opened",
        }
    if step == "content":
        data = base64.b64decode(body["data"], validate=True)
        if int(body["length"]) != len(data):
            raise ValueError("length")
        return {"id": str(uuid.uuid4()), "mime": body["mime"], "length": len(data), "type": body["type"]}
    return {"id": envelope, "state": "closed"}


async def _answer(send: Any, status: int, document: dict[str, Any]) -> None:
    body = json.dumps(document).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def ekopost_floor() -> EkopostFloor:
    return EkopostFloor()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8092)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    serve_in_processes(
        ekopost_floor,
        host=args.host,
        port=args.port,
        processes=args.processes,
        options={"log_level": "warning", "access_log": False, "server_header": False, "date_header": False},
    )


if __name__ == "__main__":
    main()
