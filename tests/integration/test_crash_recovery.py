"""``kill -9`` of a real Postbud under concurrent sends through all three dialects, then a restart.

Postbud runs as ``postbud serve`` (two HTTP processes, job workers in each) on SQLite and on
PostgreSQL. Threads send signed Digipost messages, Ekopost envelopes and Altinn correspondences
at once; a closed Ekopost campaign has its letters in the print line. Mid-flight every process of
the server is killed with SIGKILL. After a restart:

- every letter that was acknowledged is stored with its document (the same SHA-256, the blob's
  bytes hash to it), and no letter in the store lacks a document or its blob;
- every job due runs to its end (the jobs of the killed workers are taken over, not left to a
  lease) and none is dead;
- webhook deliveries may repeat an event (at least once), but each repeat carries the same
  delivery id (``webhook-id``); the count is printed.

Bounded: a few hundred letters at most, each wait at most ``WAIT`` seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from sqlalchemy import func, select

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.dialects.altinn.tokens import mint_organisation_token
from postbud.services.parties.resources import RegisterResource, register_resource
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.sandbox.seed import SeedOptions, seed
from postbud.services.sandbox.token_issuer import token_issuer
from postbud.storage import schema
from postbud.webhooks.manage import add_webhook
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import a_pdf
from tests.integration.test_ekopost_fixtures import content_body, letter_pdf
from tests.integration.webhook_receiver import HookReceiver, hook_receiver

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

POSTBUD = Path(sys.executable).with_name("postbud")
WAIT = 90.0
"""The longest one step may take on a busy machine; a healthy run takes seconds."""
ENOUGH = {"digipost": 24, "ekopost": 3, "altinn": 4}
"""Acknowledged letters after which the server is killed (or after ``SEND_SECONDS``)."""
SEND_SECONDS = 30.0
MOST = 400
"""No dialect sends more than this many letters."""
EKOPOST_ORGNR = "5568384118"
RESOURCE = "crash-test-melding"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    where: list[str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [str(POSTBUD), "serve", "--port", str(self.port), "--http-workers", "2", "--no-seed"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([*command, *self.where], stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WAIT
        while True:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx2.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx2.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def kill_9(self) -> None:
        """SIGKILL to every process of the server at once, as a power cut or the OOM killer would."""
        assert self.process is not None
        tree = _process_tree(self.process.pid)
        for pid in tree:
            os.kill(pid, signal.SIGKILL)
        self.process.wait()
        for pid in tree:  # the HTTP processes are not our children: wait until they are gone
            while Path(f"/proc/{pid}").exists() and _state(pid) not in ("Z", "X", None):
                time.sleep(0.01)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill_9()


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return None


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children[int(stat.rpartition(")")[2].split()[1])].append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


@dataclass(frozen=True)
class Letter:
    dialect: str
    key: str
    """Digipost: the message id; Ekopost and Altinn: Postbud's id of the letter."""
    sha256: str | None


@dataclass
class Traffic:
    """What the senders were told: every acknowledged letter, by the thread that sent it."""

    acknowledged: list[Letter] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ack(self, letter: Letter) -> None:
        with self.lock:
            self.acknowledged.append(letter)

    def count(self, dialect: str) -> int:
        with self.lock:
            return sum(1 for letter in self.acknowledged if letter.dialect == dialect)

    def enough(self) -> bool:
        return all(self.count(dialect) >= n for dialect, n in ENOUGH.items())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def send_digipost(url: str, sandbox: dict[str, Any], people: list[str], traffic: Traffic, seed: int) -> None:
    key = serialization.load_pem_private_key(Path(sandbox["key_file"]).read_bytes(), password=None)
    assert isinstance(key, RSAPrivateKey)
    with httpx2.Client(base_url=url, timeout=30) as http:
        client = SignedClient(http, sandbox["digipost_id"], key)  # type: ignore[arg-type]
        client.entrypoint()
        for n in range(MOST):
            if traffic.stop.is_set():
                return
            message_id, document = str(uuid.uuid4()), str(uuid.uuid4())
            pdf = a_pdf(f"Letter {seed}-{n} {uuid.uuid4()}")
            xml = (
                f'<message xmlns="{V8}"><message-id>{message_id}</message-id><recipient>'
                f"<personal-identification-number>{people[n % len(people)]}</personal-identification-number>"
                f"</recipient><primary-document><uuid>{document}</uuid><subject>Vedtak</subject>"
                f"<file-type>pdf</file-type></primary-document></message>"
            )
            try:
                response = client.send(xml, {document: pdf})
            except (httpx2.HTTPError, KeyError):  # the server is gone (mid-answer)
                return
            assert response.status_code == 201, response.text
            traffic.ack(Letter("digipost", message_id, sha256(pdf)))


class Ekopost:
    def __init__(self, url: str, api_key: str) -> None:
        self.http = httpx2.Client(
            base_url=f"{url}/ekopost", timeout=30, headers={"Authorization": f"api-key {api_key}"}
        )

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(path, json=body or {})
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def envelope(self, campaign: str, n: int) -> tuple[str, bytes]:
        """One envelope made and closed; its id and its document."""
        envelope = self.post(f"/campaigns/{campaign}/envelopes", {"name": f"Brev {n}"})["id"]
        pdf = letter_pdf(body=f"Hej {n} {uuid.uuid4()}")
        self.post(f"/campaigns/{campaign}/envelopes/{envelope}/content", content_body(pdf))
        self.post(f"/campaigns/{campaign}/envelopes/{envelope}/close")
        return envelope, pdf


def send_ekopost(ekopost: Ekopost, campaign: str, traffic: Traffic) -> None:
    for n in range(MOST):
        if traffic.stop.is_set():
            return
        try:
            envelope, pdf = ekopost.envelope(campaign, n)
        except httpx2.HTTPError:
            return
        traffic.ack(Letter("ekopost", envelope, sha256(pdf)))


def send_altinn(url: str, token: str, organisations: list[str], traffic: Traffic) -> None:
    with httpx2.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as http:
        for n in range(MOST):
            if traffic.stop.is_set():
                return
            body = {
                "correspondence": {
                    "resourceId": RESOURCE,
                    "sendersReference": f"crash-{n}",
                    "content": {"language": "nb", "messageTitle": "Vedtak", "messageBody": f"Melding {n}"},
                },
                "recipients": [f"0192:{organisations[n % len(organisations)]}"],
            }
            try:
                response = http.post("/correspondence/api/v1/correspondence", json=body)
            except httpx2.HTTPError:
                return
            assert response.status_code == 200, response.text
            (created,) = response.json()["correspondences"]
            traffic.ack(Letter("altinn", created["correspondenceId"], None))


@dataclass(frozen=True)
class Setup:
    sandbox: dict[str, Any]
    people: list[str]
    organisations: list[str]
    ekopost_key: str
    token: str


async def _prepare(settings: Settings, port: int, receiver: HookReceiver) -> Setup:
    """The sandbox population and sender, an Ekopost customer, an Altinn resource and its owner's
    token, and webhooks to the receiver, written straight into the store before the server starts."""
    runtime = await build_runtime(settings)
    try:
        sandbox = (await seed(runtime, SeedOptions(people=40, organisations=10))).sandbox_sender
        customer = await register_sender(
            RegisterSender(name="Krasch AB", organisation_number=EKOPOST_ORGNR), runtime
        )
        owner = sandbox.organisation_number
        await register_resource(RegisterResource(id=RESOURCE, owner=owner, titles={"nb": "Melding"}), runtime)
        for sender_id, hook in ((sandbox.sender_id, "sandbox"), (str(customer.sender.id), "ekopost")):
            await add_webhook(runtime, uuid.UUID(sender_id), receiver.url(hook))
        r = schema.recipients.c
        async with runtime.reader() as uow:
            rows = list(
                await uow.conn.execute(
                    select(r.party_id, r.kind, r.digital_mailbox, r.reserved, r.business_inbox)
                )
            )
    finally:
        await runtime.close()
    token = mint_organisation_token(
        token_issuer(settings.resolved_data_dir),
        f"http://127.0.0.1:{port}",
        owner,
        ["altinn:correspondence.write"],
    )
    return Setup(
        sandbox=sandbox.as_json(),
        people=[
            row.party_id.partition(":")[2]
            for row in rows
            if row.digital_mailbox and not row.reserved and row.kind == "person"
        ],
        organisations=[
            row.party_id.partition(":")[2]
            for row in rows
            if row.kind == "organisation" and row.business_inbox
        ],
        ekopost_key=customer.api_key,
        token=token,
    )


@pytest.fixture
def receiver() -> Iterator[HookReceiver]:
    with hook_receiver() as running:
        yield running


async def _store(settings: Settings, query: Any) -> list[Any]:
    runtime = await build_runtime(settings)
    try:
        async with runtime.reader() as uow:
            return list(await uow.conn.execute(query))
    finally:
        await runtime.close()


async def _check_documents(settings: Settings) -> tuple[dict[tuple[str, str], set[str]], int]:
    """Each stored letter's document hashes by (dialect, key), after checking every blob's bytes;
    and how many letters that should have a document have none."""
    runtime = await build_runtime(settings)
    s, d = schema.shipments.c, schema.documents.c
    try:
        async with runtime.reader() as uow:
            rows = list(
                await uow.conn.execute(
                    select(s.id, s.dialect, s.external_id, s.status, d.sha256).outerjoin(
                        schema.documents, d.shipment_id == s.id
                    )
                )
            )
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        bare = 0
        for row in rows:
            key = row.external_id if row.dialect == "digipost" else str(row.id)
            if row.sha256 is None:
                # An Altinn message body is the letter itself; an Ekopost envelope made just before
                # the kill is a draft that had no content yet, as its sender was told.
                bare += row.dialect != "altinn" and row.status != "draft"
                found[(row.dialect, key)]
                continue
            assert sha256(await runtime.blobs.get(row.sha256)) == row.sha256, "a blob is whole"
            found[(row.dialect, key)].add(row.sha256)
        return found, bare
    finally:
        await runtime.close()


def _job_counts(settings: Settings) -> dict[str, int]:
    j = schema.jobs.c
    rows = asyncio.run(_store(settings, select(j.status, func.count()).group_by(j.status)))
    return {status: count for status, count in rows}


async def _until_no_job_is_due(settings: Settings) -> None:
    """Until no job runs and none is ready and due (reminders and the like may wait for later)."""
    runtime = await build_runtime(settings)
    j = schema.jobs.c
    try:
        deadline = time.monotonic() + WAIT
        while True:
            async with runtime.reader() as uow:
                due = select(func.count()).where(
                    (j.status == "running") | ((j.status == "ready") & (j.run_at <= datetime.now(UTC)))
                )
                left = (await uow.conn.execute(due)).scalar_one()
            if not left:
                return
            assert time.monotonic() < deadline, f"{left} jobs still due after the restart"
            await asyncio.sleep(0.1)
    finally:
        await runtime.close()


def test_kill_9_under_concurrent_sends_loses_nothing_acknowledged(
    tmp_path: Path, database_url: str, receiver: HookReceiver
) -> None:
    data_dir = tmp_path / "data"
    where = ["--data-dir", str(data_dir), "--database-url", database_url]
    settings = Settings(data_dir=data_dir, database_url=database_url, workers=0)
    port = free_port()

    setup = asyncio.run(_prepare(Settings(data_dir=data_dir, database_url=database_url), port, receiver))
    sandbox, people, organisations = setup.sandbox, setup.people, setup.organisations

    server = Server(where, port, tmp_path / "server.log")
    server.start()
    traffic = Traffic()
    try:
        ekopost = Ekopost(server.url, setup.ekopost_key)
        # A campaign closed before the crash: its letters are in the print line when it comes.
        printing = ekopost.post("/campaigns", {"name": "Trykk", "output_date": "2026-01-01"})["id"]
        for n in range(3):
            envelope, pdf = ekopost.envelope(printing, n)
            traffic.ack(Letter("ekopost", envelope, sha256(pdf)))
        ekopost.post(f"/campaigns/{printing}/close")
        filling = ekopost.post("/campaigns", {"name": "Fylles", "output_date": "2026-01-01"})["id"]

        threads = [
            threading.Thread(target=send_digipost, args=(server.url, sandbox, people, traffic, seed))
            for seed in range(3)
        ]
        threads.append(threading.Thread(target=send_ekopost, args=(ekopost, filling, traffic)))
        threads.append(
            threading.Thread(target=send_altinn, args=(server.url, setup.token, organisations, traffic))
        )
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + SEND_SECONDS
        while not traffic.enough() and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill_9()  # mid-flight: every thread has a request on the way
        traffic.stop.set()
        for thread in threads:
            thread.join(WAIT)
        assert traffic.count("digipost") > 0
        assert traffic.count("altinn") > 0
    finally:
        server.stop()

    held = _job_counts(settings).get("running", 0)
    killed = time.monotonic()
    server.start()
    restarted = time.monotonic()
    try:
        asyncio.run(_until_no_job_is_due(settings))
        recovered = time.monotonic() - restarted
    finally:
        server.stop()

    stored, bare = asyncio.run(_check_documents(settings))
    lost = [
        letter
        for letter in traffic.acknowledged
        if (letter.dialect, letter.key) not in stored
        or (letter.sha256 is not None and stored[(letter.dialect, letter.key)] != {letter.sha256})
    ]
    assert lost == [], "every acknowledged letter is stored with its document"
    assert bare == 0, "no letter is stored without its document"
    assert "dead" not in _job_counts(settings)

    deliveries: dict[tuple[str, str], set[str]] = defaultdict(set)
    arrivals: Counter[tuple[str, str]] = Counter()
    for arrival in receiver.arrivals:
        event = (arrival.hook, json.loads(arrival.body)["id"])
        deliveries[event].add(arrival.headers["webhook-id"])
        arrivals[event] += 1
    repeats = {event: ids for event, ids in deliveries.items() if arrivals[event] > 1}
    assert all(len(ids) == 1 for ids in deliveries.values()), f"a repeat with another id: {repeats}"
    print(  # the figures for docs/operations.md
        f"\n{database_url.split(':')[0]}: {len(traffic.acknowledged)} acknowledged"
        f" ({', '.join(f'{d} {traffic.count(d)}' for d in ENOUGH)}), {len(stored)} stored, 0 lost;"
        f" {held} jobs running at the kill; the restart ready {restarted - killed:.1f} s later, every due job"
        f" done {recovered:.1f} s after that;"
        f" {len(arrivals)} events delivered, {sum(arrivals.values()) - len(arrivals)} repeated deliveries"
        f" ({len(repeats)} events), each repeat with its first delivery's id"
    )


def test_the_http_processes_stop_when_their_parent_is_killed(tmp_path: Path) -> None:
    server = Server(["--data-dir", str(tmp_path / "data")], free_port(), tmp_path / "server.log")
    server.start()
    assert server.process is not None
    children = [pid for pid in _process_tree(server.process.pid) if pid != server.process.pid]
    assert children
    try:
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
        deadline = time.monotonic() + WAIT
        while alive := [pid for pid in children if _state(pid) not in ("Z", "X", None)]:
            assert time.monotonic() < deadline, f"still serving on without their parent: {alive}"
            time.sleep(0.1)
        with pytest.raises(httpx2.HTTPError):
            httpx2.get(f"{server.url}/healthz", timeout=2)
    finally:
        for pid in children:
            if _state(pid) not in ("Z", "X", None):
                os.kill(pid, signal.SIGKILL)
