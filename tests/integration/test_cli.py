"""The ``postbud`` command as integrators script it: on empty folders, with --json, beside a server."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import signal
import socket
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner, Result

from postbud.bootstrap import build_runtime
from postbud.cli import app
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate
from postbud.domain.channels import Channel
from postbud.domain.identifiers import (
    e164_phone,
    email_address,
    fodselsnummer,
    organisasjonsnummer,
    parse_party_id,
)
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.sandbox.seed import SANDBOX_DIGIPOST_ID, organisations, people
from tests.real_pdf import real_pdf

OLA = "15108695088"
ORGNR = "974761076"
POSTBUD = Path(sys.executable).with_name("postbud")
SERVER_START_TIMEOUT_S = 120


def postbud(*args: str, env: dict[str, str] | None = None, input_text: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, input=input_text)


def postbud_json(*args: str, env: dict[str, str] | None = None) -> Any:
    result = postbud(*args, "--json", env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def failed_json(*args: str) -> dict[str, Any]:
    result = postbud(*args, "--json")
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    error: dict[str, Any] = json.loads(result.stderr)["error"]
    return error


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A folder that does not exist yet: every command must create and migrate it."""
    return tmp_path / "missing" / "data"


# --- The scripted calls of the issue, on empty folders ---------------------------------------------


def test_senders_add_on_a_missing_folder_prints_credentials(data_dir: Path) -> None:
    created = postbud_json(
        "senders", "add", "--name", "Skatteetaten", "--orgnr", ORGNR, "--data-dir", str(data_dir)
    )
    assert (data_dir / "postbud.db").exists()
    assert created["api_key"].startswith("pb_live_")
    assert len(created["api_key"]) == len("pb_live_") + 32
    assert created["sender"]["organisation_number"] == ORGNR
    assert created["sender"]["digipost_id"] > SANDBOX_DIGIPOST_ID
    assert created["private_key_file"] is None

    listed = postbud_json("senders", "list", "--data-dir", str(data_dir))
    assert [s["id"] for s in listed] == [created["sender"]["id"]]


def test_senders_add_with_a_certificate(data_dir: Path, tmp_path: Path) -> None:
    _, certificate = generate_test_key_and_certificate("NAV")
    cert_file = tmp_path / "nav.pem"
    cert_file.write_bytes(certificate)
    created = postbud_json(
        "senders", "add", "--name", "NAV", "--orgnr", "889640782", "--digipost-id", "777",
        "--certificate", str(cert_file), "--data-dir", str(data_dir),
    )  # fmt: skip
    assert created["sender"]["digipost_id"] == 777
    assert created["sender"]["certificate_pem"].strip() == certificate.decode().strip()


def test_senders_add_generates_a_key_and_certificate(data_dir: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "skatt.pem"
    created = postbud_json(
        "senders", "add", "--name", "Skatteetaten", "--orgnr", ORGNR,
        "--generate-key", str(key_file), "--data-dir", str(data_dir),
    )  # fmt: skip
    assert created["private_key_file"] == str(key_file.resolve())
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = serialization.load_pem_private_key(key_file.read_bytes(), None)
    certificate = x509.load_pem_x509_certificate(Path(created["certificate_file"]).read_bytes())
    assert certificate.public_key().public_numbers() == key.public_key().public_numbers()  # type: ignore[union-attr]
    assert created["sender"]["certificate_pem"] == Path(created["certificate_file"]).read_text()

    again = failed_json(
        "senders", "add", "--name", "Other", "--orgnr", "889640782", "--generate-key", str(key_file),
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert again["errors"] == [{"field": "generate_key", "rule": f"{key_file} exists; choose a new path"}]


def test_senders_add_reports_errors_by_field(data_dir: Path) -> None:
    error = failed_json("senders", "add", "--name", "X", "--orgnr", "974761077", "--data-dir", str(data_dir))
    assert error["type"] == "urn:postbud:problem:validation-failed"
    assert error["errors"][0]["field"] == "organisation_number"
    postbud_json("senders", "add", "--name", "X", "--orgnr", ORGNR, "--data-dir", str(data_dir))
    duplicate = failed_json("senders", "add", "--name", "Y", "--orgnr", ORGNR, "--data-dir", str(data_dir))
    assert duplicate["type"] == "urn:postbud:problem:conflict"

    human = postbud("senders", "add", "--name", "X", "--orgnr", "974761077", "--data-dir", str(data_dir))
    assert human.exit_code == 1
    assert "organisation_number" in human.stderr


def test_recipients_add_with_every_option_using_the_environment(data_dir: Path) -> None:
    env = {"POSTBUD_DATA_DIR": str(data_dir)}
    added = postbud_json(
        "recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox", "--reserved",
        "--email", "Ola@Example.com", "--mobile", "912 34 567", "--address", "Storgata 1|0150|Oslo", env=env,
    )  # fmt: skip
    assert added["created"] is True
    ola = added["recipient"]
    assert ola["party_id"] == f"no-person:{OLA}"
    assert (ola["digital_mailbox"], ola["reserved"], ola["business_inbox"]) == (True, True, False)
    assert ola["mobile"] == "+4791234567"
    assert ola["email"] == "Ola@example.com"
    assert ola["mailbox_address"].startswith("ola.nordmann#")
    assert ola["postal_address"] == {
        "lines": ["Storgata 1"],
        "postal_code": "0150",
        "city": "Oslo",
        "country": "NO",
    }

    updated = postbud_json(
        "recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox",
        "--address", "c/o Kari|Lillegata 2|5003|Bergen", env=env,
    )  # fmt: skip
    assert updated["created"] is False
    assert updated["recipient"]["id"] == ola["id"]
    assert updated["recipient"]["mailbox_address"] == ola["mailbox_address"]
    assert updated["recipient"]["reserved"] is True  # kept: an update changes only what is given
    assert updated["recipient"]["postal_address"]["lines"] == ["c/o Kari", "Lillegata 2"]

    org = postbud_json("recipients", "add", "--id", ORGNR, "--name", "Skatt", "--mailbox", env=env)
    assert org["recipient"]["business_inbox"] is True
    listed = postbud_json("recipients", "list", env=env)
    assert listed["total"] == 2
    assert {r["identifier"] for r in listed["items"]} == {OLA, ORGNR}


def test_recipients_add_reports_every_broken_field(data_dir: Path) -> None:
    error = failed_json(
        "recipients", "add", "--id", "15108695089", "--name", "Ola", "--email", "nope",
        "--mobile", "12", "--address", "Storgata 1|Oslo", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert {e["field"] for e in error["errors"]} == {"id", "email", "mobile", "address"}


def test_recipients_import_csv_all_or_nothing_unless_skipping(data_dir: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "id,name,mailbox,reserved,email,mobile,address_line,postal_code,city\n"
        f"{OLA},Ola Nordmann,ja,nei,ola@example.com,91234567,Storgata 1,0150,Oslo\n"
        f"{ORGNR},Skatt AS,true,,post@skatt.example.com,,Postboks 9200 Grønland,0134,Oslo\n"
        "15108695089,Feil Nummer,,,,,,,\n"
    )
    refused = postbud("recipients", "import", str(csv_file), "--data-dir", str(data_dir), "--json")
    assert refused.exit_code == 1
    report = json.loads(refused.stdout)
    assert (report["created"], report["rejected"][0]["line"]) == (0, 4)
    assert postbud_json("recipients", "list", "--data-dir", str(data_dir))["total"] == 0

    imported = postbud(
        "recipients", "import", str(csv_file), "--skip-invalid", "--data-dir", str(data_dir), "--json"
    )
    assert imported.exit_code == 0
    assert json.loads(imported.stdout)["created"] == 2

    from_stdin = postbud(
        "recipients", "import", "-", "--data-dir", str(data_dir), "--json",
        input_text=f"id,name,mailbox\n{OLA},Ola Nordmann,false\n",
    )  # fmt: skip
    assert json.loads(from_stdin.stdout) == {"created": 0, "updated": 1, "rejected": []}
    human = postbud("recipients", "list", "--data-dir", str(data_dir))
    assert human.exit_code == 0
    assert "Ola Nordmann" in human.stdout


def test_migrate_and_seed_are_idempotent(data_dir: Path) -> None:
    migrated = postbud_json("migrate", "--data-dir", str(data_dir))
    assert migrated["from_revision"] is None
    assert migrated["to_revision"]
    assert postbud_json("migrate", "--data-dir", str(data_dir))["from_revision"] == migrated["to_revision"]

    first = postbud_json("seed", "--people", "25", "--organisations", "5", "--data-dir", str(data_dir))
    assert (first["people_created"], first["organisations_created"], first["already_present"]) == (25, 5, 0)
    sandbox = first["sandbox_sender"]
    assert sandbox["digipost_id"] == SANDBOX_DIGIPOST_ID
    assert sandbox["api_key"].startswith("pb_live_")
    stored = json.loads((data_dir / "sandbox" / "sender.json").read_text())
    assert stored["api_key"] == sandbox["api_key"]
    assert stat.S_IMODE((data_dir / "sandbox" / "sender-key.pem").stat().st_mode) == 0o600
    key = serialization.load_pem_private_key((data_dir / "sandbox" / "sender-key.pem").read_bytes(), None)
    cert = x509.load_pem_x509_certificate((data_dir / "sandbox" / "sender-cert.pem").read_bytes())
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()  # type: ignore[union-attr]

    second = postbud_json("seed", "--people", "30", "--organisations", "5", "--data-dir", str(data_dir))
    assert (second["people_created"], second["already_present"]) == (5, 30)
    assert second["sandbox_sender"] == sandbox
    assert postbud_json("recipients", "list", "--data-dir", str(data_dir))["total"] == 35
    senders = postbud_json("senders", "list", "--data-dir", str(data_dir))
    assert [s["name"] for s in senders] == ["Postbud Sandbox Sender"]


def test_the_synthetic_population_is_valid_and_shaped_like_norway() -> None:
    population = list(people(random.Random("people-1"), 2000))
    assert population[:50] == list(people(random.Random("people-1"), 50))
    assert len({p.id for p in population}) == len(population)
    for person in population[:300]:
        fodselsnummer(person.id)
        assert person.address is not None
        if person.email:
            email_address(person.email)
        if person.mobile:
            e164_phone(person.mobile)
    share = lambda flag: sum(map(flag, population)) / len(population)  # noqa: E731
    assert 0.65 < share(lambda p: p.mailbox) < 0.75
    assert 0.05 < share(lambda p: p.reserved) < 0.11
    assert share(lambda p: p.email is not None) > 0.75
    assert share(lambda p: p.mobile is not None) > 0.7
    for org in organisations(random.Random("organisations-1"), 30):
        organisasjonsnummer(org.id)
        assert org.mailbox


def test_shipments_list_and_show_with_events(data_dir: Path) -> None:
    sender = postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", str(data_dir))
    postbud_json(
        "recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox", "--data-dir", str(data_dir)
    )
    shipment_id = asyncio.run(_send(data_dir, sender["sender"]["id"]))

    listed = postbud_json("shipments", "list", "--sender", ORGNR, "--data-dir", str(data_dir))
    assert [s["id"] for s in listed["items"]] == [shipment_id]
    assert listed["next_cursor"] is None
    assert postbud_json("shipments", "list", "--recipient", ORGNR, "--data-dir", str(data_dir))["items"] == []
    shown = postbud_json("shipments", "show", shipment_id, "--data-dir", str(data_dir))
    assert shown["status"] == "delivered"
    assert [e["type"] for e in shown["events"]] == ["created", "routed", "delivered"]

    human = postbud("shipments", "show", shipment_id, "--data-dir", str(data_dir))
    assert human.exit_code == 0
    assert "delivered" in human.stdout
    missing = failed_json(
        "shipments", "show", "00000000-0000-0000-0000-000000000000", "--data-dir", str(data_dir)
    )
    assert missing["type"] == "urn:postbud:problem:not-found"


async def _send(data_dir: Path, sender_id: str, *, by_email: bool = False) -> str:
    """A letter to Ola: into the mailbox at once, or by e-mail (a job for a worker)."""
    runtime = await build_runtime(Settings(data_dir=data_dir))
    try:
        pdf = DocumentInput(content=real_pdf("hei"), file_type="pdf", mime="application/pdf", title="Hei")
        channels = (Channel.EMAIL,) if by_email else (Channel.DIGITAL_MAILBOX,)
        command = SendLetter(
            uuid.UUID(sender_id), "platform", (pdf,), channels=channels, recipient=parse_party_id(OLA),
            email_address="ola@example.com" if by_email else None,
        )  # fmt: skip
        return str((await send_letter(command, runtime)).shipment.id)
    finally:
        await runtime.close()


def test_webhooks_add_list_pause(data_dir: Path) -> None:
    postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", str(data_dir))
    added = postbud_json(
        "webhooks", "add", "--sender", ORGNR, "--url", "https://example.com/hook",
        "--event", "delivered", "--event", "opened", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert added["secret"]
    assert added["webhook"]["event_types"] == ["delivered", "opened"]
    listed = postbud_json("webhooks", "list", "--sender", ORGNR, "--data-dir", str(data_dir))
    assert [w["id"] for w in listed] == [added["webhook"]["id"]]
    paused = postbud_json("webhooks", "pause", added["webhook"]["id"], "--data-dir", str(data_dir))
    assert paused["active"] is False
    assert postbud_json("webhooks", "deliveries", "--data-dir", str(data_dir)) == []
    unknown = failed_json("webhooks", "list", "--sender", "889640782", "--data-dir", str(data_dir))
    assert unknown["type"] == "urn:postbud:problem:not-found"


def test_help_lists_every_command() -> None:
    result = postbud("--help")
    assert result.exit_code == 0
    for command in (
        "serve",
        "worker",
        "migrate",
        "seed",
        "senders",
        "recipients",
        "shipments",
        "webhooks",
        "clock",
    ):
        assert command in result.stdout


# --- Beside a running server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``postbud serve`` in a subprocess on a fresh folder, with its default sandbox seeding."""
    data_dir = tmp_path / "served"
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [str(POSTBUD), "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "POSTBUD_WORKERS": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "postbud serve did not become ready"
            try:
                if httpx2.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            time.sleep(0.2)
        yield url, data_dir
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        log.close()
        output = (tmp_path / "serve.log").read_text()
        # uvicorn re-raises the signal after a graceful shutdown, so the exit status names it.
        assert code in (0, -signal.SIGTERM), output
        assert "postbud stopped" in output


def _run_postbud(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(POSTBUD), *args, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finished(process: subprocess.Popen[str]) -> Any:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out)


@pytest.mark.slow
def test_cli_writes_while_serve_runs_on_the_same_folder(server: tuple[str, Path], tmp_path: Path) -> None:
    url, data_dir = server
    admin = {"Authorization": f"Bearer {(data_dir / 'admin-token').read_text().strip()}"}
    seeded = httpx2.get(f"{url}/api/v1/recipients", params={"limit": 1}, headers=admin).json()
    assert seeded["total"] == 230
    sandbox = json.loads((data_dir / "sandbox" / "sender.json").read_text())
    assert sandbox["digipost_id"] == SANDBOX_DIGIPOST_ID

    # Both at once, while the server's workers poll the same SQLite file.
    add_sender = _run_postbud(
        "senders", "add", "--name", "Skatteetaten", "--orgnr", ORGNR, "--digipost-id", "4242",
        "--generate-key", str(tmp_path / "skatt.pem"), "--data-dir", str(data_dir),
    )  # fmt: skip
    add_recipient = _run_postbud(
        "recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox",
        "--email", "ola@example.com", "--address", "Storgata 1|0150|Oslo", "--data-dir", str(data_dir),
    )  # fmt: skip
    sender, recipient = _finished(add_sender), _finished(add_recipient)

    shown = httpx2.get(f"{url}/api/v1/senders/{sender['sender']['id']}", headers=admin).json()
    assert shown["digipost_id"] == 4242
    ola = httpx2.get(f"{url}/api/v1/recipients/{OLA}", headers=admin).json()
    assert ola["id"] == recipient["recipient"]["id"]
    assert ola["mailbox_address"] == recipient["recipient"]["mailbox_address"]

    key = {"Authorization": f"Bearer {sender['api_key']}"}
    pdf = base64.b64encode(real_pdf("Hei")).decode()
    letter = {"recipient": OLA, "documents": [{"title": "Hei", "content_base64": pdf}]}
    sent = httpx2.post(f"{url}/api/v1/shipments", json=letter, headers=key)
    assert sent.status_code == 201, sent.text
    shipment_id = sent.json()["shipment"]["id"]
    listed = _finished(_run_postbud("shipments", "list", "--recipient", OLA, "--data-dir", str(data_dir)))
    assert [s["id"] for s in listed["items"]] == [shipment_id]
    assert httpx2.get(f"{url}/metrics").status_code == 200


def test_scripted_calls_with_a_database_url(database_url: str, tmp_path: Path) -> None:
    where = ["--database-url", database_url, "--data-dir", str(tmp_path / "keys-and-blobs")]
    sender = postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, *where)
    postbud_json("recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox", *where)
    seeded = postbud_json("seed", "--people", "10", "--organisations", "2", *where)
    assert seeded["people_created"] == 10
    assert (
        postbud_json("recipients", "list", "--search", "ola nordmann", *where)["items"][0]["identifier"]
        == OLA
    )
    names = {s["name"] for s in postbud_json("senders", "list", *where)}
    assert names == {sender["sender"]["name"], "Postbud Sandbox Sender"}


@pytest.mark.slow
def test_worker_runs_jobs_without_the_api_and_stops_on_sigterm(data_dir: Path, tmp_path: Path) -> None:
    sender = postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, "--data-dir", str(data_dir))
    postbud_json(
        "recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox", "--data-dir", str(data_dir)
    )
    shipment_id = asyncio.run(_send(data_dir, sender["sender"]["id"], by_email=True))
    assert postbud_json("shipments", "show", shipment_id, "--data-dir", str(data_dir))["status"] == "routed"

    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(POSTBUD), "worker", "--concurrency", "2", "--data-dir", str(data_dir)], stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while (
            postbud_json("shipments", "show", shipment_id, "--data-dir", str(data_dir))["status"]
            != "delivered"
        ):
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, "the worker never delivered the letter"
            time.sleep(0.3)
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=60)
        log.close()
    assert code == 0, (tmp_path / "worker.log").read_text()
