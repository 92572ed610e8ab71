"""Where an Ekopost envelope's CPU goes: create, content, close driven in-process, without HTTP.

``.venv/bin/python -m bench.ekopost_profile [--count N] [--concurrency C] [--profile out.prof]``

Seeds a fresh data folder with one sender (``postbud senders add``), starts the app's lifespan
(group-commit writer, job workers), makes a campaign and feeds each envelope's three requests
straight into the ASGI app from ``concurrency`` tasks, the content body (the same ~51 KB window
PDFs as bench/ekopost_ingest.py) in 64 KiB chunks (bench/in_process.py). Prints CPU ms per
envelope (all threads, the event loop's thread, and by thread) and the wall-clock rate. It measures
the app alone, so it compares changes to the Ekopost path; it does not replace
bench/ekopost_ingest.py. With ``--profile`` it writes a cProfile of the event-loop thread.
"""

from __future__ import annotations

import argparse
import base64
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.digipost_send import postbud_cli
from bench.ekopost_ingest import ORGNR, PDF_PADDING, window_letter_pdf
from bench.in_process import call, drive, http_scope, measuring, run


def _scope(method: str, path: str, auth: str) -> dict[str, Any]:
    return http_scope(
        method, path, [(b"authorization", auth.encode()), (b"content-type", b"application/json")]
    )


def _content(number: int) -> bytes:
    pdf = window_letter_pdf(number, PDF_PADDING + 4 * number)
    body = {"type": "document", "mime": "application/pdf", "length": len(pdf)}
    return json.dumps({**body, "data": base64.b64encode(pdf).decode()}).encode()


async def _envelope(app: Any, base: str, auth: str, content: bytes, number: int) -> None:
    create = json.dumps({"name": f"bench-{number}", "postage": "priority", "address": None}).encode()
    status, answer = await call(app, _scope("POST", base, auth), create)
    if status != 200:
        raise RuntimeError(f"create: {status} {answer[:300]!r}")
    path = f"{base}/{json.loads(answer)['id']}"
    status, answer = await call(app, _scope("POST", f"{path}/content", auth), content)
    if status != 200:
        raise RuntimeError(f"content: {status} {answer[:300]!r}")
    status, answer = await call(app, _scope("POST", f"{path}/close", auth), b"{}")
    if status != 200:
        raise RuntimeError(f"close: {status} {answer[:300]!r}")


async def _drive(app: Any, base: str, auth: str, contents: list[bytes], concurrency: int, first: int) -> int:
    async def envelope(numbered: tuple[int, bytes]) -> None:
        await _envelope(app, base, auth, numbered[1], numbered[0])

    return await drive(list(enumerate(contents, start=first)), concurrency, envelope)


async def _main(args: argparse.Namespace, data_dir: Path, api_key: str, contents: list[bytes]) -> None:
    from postbud.app import create_app
    from postbud.config import Settings

    auth = f"api-key {api_key}"
    app = create_app(Settings(data_dir=data_dir, log_json=True))
    async with app.router.lifespan_context(app):
        today = datetime.now(UTC).date().isoformat()
        campaign = json.dumps({"name": "Profile", "output_date": today}).encode()
        status, answer = await call(app, _scope("POST", "/ekopost/campaigns", auth), campaign)
        if status != 200:
            raise RuntimeError(f"campaign: {status} {answer!r}")
        base = f"/ekopost/campaigns/{json.loads(answer)['id']}/envelopes"
        await _drive(app, base, auth, contents[: args.warmup], args.concurrency, 1)
        with measuring(args.profile) as measured:
            done = await _drive(app, base, auth, contents[args.warmup :], args.concurrency, args.warmup + 1)
    print(measured.summary(done, "envelope"))
    print(measured.by_thread(done, "envelope"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--profile", help="write a cProfile of the measured part to this file")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="postbud-ekopost-profile-")) / "data"
    added = postbud_cli(
        "senders", "add", "--name", "Bench AB", "--orgnr", ORGNR, "--data-dir", str(data_dir), "--json"
    )
    contents = [_content(n) for n in range(1, args.count + args.warmup + 1)]
    run(_main(args, data_dir, json.loads(added)["api_key"], contents))


if __name__ == "__main__":
    main()
