"""The print line at scale: a campaign of 100,000 envelopes closed → every envelope print-ready.

One command: ``.venv/bin/python -m bench.print_line_100k --envelopes 100000`` (docs/benchmarks.md).

Building the campaign. ``--templates`` envelopes (postal, address in Ekopost's window, no cover page)
are made through the Ekopost API of a running Postbud (create, content, close), so their stored rows
are exactly what the API writes. Postbud is stopped and the campaign is filled up to ``--envelopes`` by
copying those rows (shipment, document, events) with new ids, later creation times, a distinct
addressee and a distinct one-page PDF each (that name in the window, ``--padding`` random bytes),
written into the blob store and synced: what the API would have stored for each, without an hour of
requests. Postbud is started again (``--processes`` HTTP processes with ``--job-workers`` each).

The measurement. The campaign is closed through the API (its output date has passed, so its release job
is due at once; the close's answer time is a figure of its own); the database is polled every 0.5 s
until every envelope is print-ready (status in print, printed or posted: its SENT_TO_PRINT names its
print batch and pages, recorded only after the batch PDF was stored durably) or failed, or
``--timeout`` passes. Figures: seconds from the close request, envelopes/s, the server's CPU, the
machine's other load, peak RSS of the server's process tree.

Verification, with Postbud stopped: every envelope has SENT_TO_PRINT naming a print batch; the print
batches' tickets hold every envelope once; every print batch PDF is in the blob store with the pages
its ticket says. Exits non-zero otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.digipost_send import postbud_cli, postbud_serve_command, stop_server
from bench.ekopost_ingest import Load, call
from bench.server import start
from postbud.testing.pdf import pdf_file

ORGNR = "556838-4118"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def letter_pdf(number: int, padding: int) -> tuple[bytes, str]:
    """A one-page A4 letter whose window (x 112–207 mm, y 35–71 mm) shows addressee ``number``."""
    name = f"Tolvan Tolvansson {number}"
    rows = " ".join(f"({line}) Tj 0 -17 Td" for line in (name, "Storgatan 1", "123 45 Stockholm"))
    text = f"BT /F1 10 Tf 326 722 Td {rows} ET BT /F1 12 Tf 72 500 Td (Letter {number}) Tj ET".encode()
    filler = os.urandom(padding)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(filler), filler),
    ]
    return pdf_file(objects, header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), name


def make_templates(port: int, api_key: str, campaign: str, count: int, padding: int) -> None:
    import base64

    for number in range(count):
        envelope = call(
            port, api_key, f"campaigns/{campaign}/envelopes", {"name": f"L{number}", "postage": "priority"}
        )["id"]
        pdf, _ = letter_pdf(number, padding)
        body = {"type": "document", "mime": "application/pdf", "length": len(pdf)}
        call(
            port,
            api_key,
            f"campaigns/{campaign}/envelopes/{envelope}/content",
            {**body, "data": base64.b64encode(pdf).decode()},
        )
        call(port, api_key, f"campaigns/{campaign}/envelopes/{envelope}/close", {})


def _rows(db: sqlite3.Connection, query: str, *args: Any) -> list[dict[str, Any]]:
    cursor = db.execute(query, args)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _insert(db: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        names = list(rows[0])
        marks = ", ".join("?" for _ in names)
        db.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
            [tuple(r[n] for n in names) for r in rows],
        )


def fill_campaign(data_dir: Path, campaign: str, total: int, padding: int) -> int:
    """Copy the campaign's template envelopes up to ``total`` envelopes; how many were added."""
    from postbud.storage.blobs import LocalBlobStore

    store = LocalBlobStore(data_dir / "blobs")
    db = sqlite3.connect(data_dir / "postbud.db")
    batch_id = db.execute("SELECT id FROM batches WHERE external_id = ?", (campaign,)).fetchone()[0]
    templates = _rows(db, "SELECT * FROM shipments WHERE batch_id = ? ORDER BY created_at", batch_id)
    have = len(templates)
    documents = {
        r["shipment_id"]: r
        for r in _rows(
            db,
            "SELECT * FROM documents WHERE shipment_id IN (SELECT id FROM shipments WHERE batch_id = ?)",
            batch_id,
        )
    }
    events: dict[str, list[dict[str, Any]]] = {}
    for row in _rows(
        db,
        "SELECT * FROM events WHERE shipment_id IN (SELECT id FROM shipments WHERE batch_id = ?) ORDER BY at",
        batch_id,
    ):
        events.setdefault(row["shipment_id"], []).append(row)
    start_at = datetime.strptime(max(t["created_at"] for t in templates), TIME_FORMAT)
    added = 0
    chunk: dict[str, list[dict[str, Any]]] = {"shipments": [], "documents": [], "events": []}
    dirs: set[Path] = set()
    for number in range(have, total):
        template = templates[number % have]
        new = uuid.uuid4()
        at = (start_at + timedelta(microseconds=10 * (number + 1))).strftime(TIME_FORMAT)
        pdf, name = letter_pdf(number, padding)
        sha = hashlib.sha256(pdf).hexdigest()
        path = store.path_for(sha)
        if path.parent not in dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            dirs.add(path.parent)
        path.write_bytes(pdf)
        request = json.loads(template["request"])
        request["print"]["recipient"]["name"] = name
        envelope = json.loads(request["properties"]["ekopost.envelope"])
        envelope["name"] = f"L{number}"
        request["properties"]["ekopost.envelope"] = json.dumps(envelope, separators=(",", ":"))
        chunk["shipments"].append(
            {
                **template,
                "id": new.hex,
                "created_at": at,
                "updated_at": at,
                "request": json.dumps(request),
                "recipient_name": name,
            }
        )
        document = documents[template["id"]]
        chunk["documents"].append(
            {
                **document,
                "id": uuid.uuid4().hex,
                "shipment_id": new.hex,
                "sha256": sha,
                "size": len(pdf),
                "title": f"L{number}",
                "id_scope": f"letter:{new}",
            }
        )
        for event in events[template["id"]]:
            chunk["events"].append({**event, "id": uuid.uuid4().hex, "shipment_id": new.hex, "at": at})
        added += 1
        if len(chunk["shipments"]) == 5000:
            for table, rows in chunk.items():
                _insert(db, table, rows)
                rows.clear()
    for table, rows in chunk.items():
        _insert(db, table, rows)
    db.commit()
    db.close()
    os.sync()
    return added


def progress(db_path: Path, campaign: str) -> tuple[int, int]:
    """(envelopes print-ready, envelopes failed)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT count(CASE WHEN s.status IN ('in_print', 'printed', 'posted') THEN 1 END),"
            " count(CASE WHEN s.status = 'failed' THEN 1 END)"
            " FROM shipments s JOIN batches b ON s.batch_id = b.id WHERE b.external_id = ?",
            (campaign,),
        ).fetchone()
    return int(row[0]), int(row[1])


def verify(data_dir: Path, campaign: str, envelopes: int) -> tuple[bool, str]:
    import pikepdf

    from postbud.storage.blobs import LocalBlobStore

    store = LocalBlobStore(data_dir / "blobs")
    with sqlite3.connect(data_dir / "postbud.db") as db:
        batch_id = db.execute("SELECT id FROM batches WHERE external_id = ?", (campaign,)).fetchone()[0]
        batches = db.execute(
            "SELECT sha256, pages, ticket FROM print_batches WHERE batch_id = ?", (batch_id,)
        ).fetchall()
        named = db.execute(
            "SELECT count(DISTINCT e.shipment_id) FROM events e JOIN shipments s ON e.shipment_id = s.id"
            " WHERE s.batch_id = ? AND e.type = 'sent_to_print'"
            " AND json_extract(e.data, '$.print_batch') IS NOT NULL",
            (batch_id,),
        ).fetchone()[0]
    in_tickets: list[str] = []
    for sha, pages, ticket in batches:
        path = store.path_for(sha)
        if not path.is_file():
            return False, f"print batch PDF {sha} missing"
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) != pages:
                return False, f"print batch PDF {sha} has {len(pdf.pages)} pages, its row says {pages}"
        in_tickets.extend(e["shipment_id"] for e in json.loads(ticket)["envelopes"])
    if named != envelopes:
        return False, f"{named} of {envelopes} envelopes have a sent_to_print naming a print batch"
    if len(in_tickets) != envelopes or len(set(in_tickets)) != envelopes:
        return False, f"the tickets hold {len(in_tickets)} envelopes ({len(set(in_tickets))} distinct)"
    return True, f"{len(batches)} print batches, every PDF present with its pages, every envelope once"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--envelopes", type=int, default=100_000)
    parser.add_argument("--templates", type=int, default=20)
    parser.add_argument("--padding", type=int, default=2048, help="random bytes in each letter PDF")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--port", type=int, default=18932)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None, help="data folder parent (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="postbud-print-line-"))
    data_dir = work / "data"
    added = json.loads(
        postbud_cli(
            "senders", "add", "--name", "Bench AB", "--orgnr", ORGNR, "--data-dir", str(data_dir), "--json"
        )
    )
    api_key = added["api_key"]
    command = postbud_serve_command(data_dir, args)
    server = start(command, work / "build.log", args.port)
    try:
        today = datetime.now(UTC).date().isoformat()
        campaign = call(args.port, api_key, "campaigns", {"name": "Bench", "output_date": today})["id"]
        make_templates(args.port, api_key, campaign, args.templates, args.padding)
    finally:
        stop_server(server)
    built = time.monotonic()
    filled = fill_campaign(data_dir, campaign, args.envelopes, args.padding)
    print(
        f"campaign {campaign}: {args.templates} envelopes through the API, {filled} copied"
        f" in {time.monotonic() - built:.0f} s",
        flush=True,
    )
    server = start(command, work / "postbud.log", args.port)
    result: dict[str, Any] = {"envelopes": args.envelopes, "padding": args.padding}
    try:
        load = Load(server)
        call(args.port, api_key, f"campaigns/{campaign}/close", {})
        closed_in = time.monotonic() - load.started
        deadline = time.monotonic() + args.timeout
        ready = failed = 0
        while time.monotonic() < deadline:
            ready, failed = progress(data_dir / "postbud.db", campaign)
            if ready + failed >= args.envelopes:
                break
            time.sleep(0.5)
        seconds, server_cores, other_cores, peak_mb = load.finish()
        result.update(
            close_request_s=round(closed_in, 2),
            seconds=round(seconds, 1),
            print_ready=ready,
            failed=failed,
            envelopes_per_s=round(ready / seconds),
            server_cores=round(server_cores, 2),
            other_cores=round(other_cores, 2),
            peak_rss_mb=round(peak_mb),
        )
        print(json.dumps(result), flush=True)
    finally:
        stop_server(server)
    ok, detail = verify(data_dir, campaign, args.envelopes)
    result["verified"] = detail
    print(("verified: " if ok else "NOT VERIFIED: ") + detail, flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if ok and result["print_ready"] == args.envelopes else 1


if __name__ == "__main__":
    sys.exit(main())
