"""Issue 12 defects 4, 5 and 6 as a CLI user meets them: a file that cannot be read is a clear error, not a
traceback; ``recipients add`` on an existing id changes only what is given; ``shipments list`` shows ids
whole and ``shipments show`` takes any unique start of one."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.identifiers import parse_party_id
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.sandbox.sample_letters import letter_pdf
from tests.integration.test_cli import OLA, ORGNR, data_dir, failed_json, postbud, postbud_json
from tests.real_pdf import real_pdf

__all__ = ["data_dir"]


async def _send(data_dir: Path, sender_id: str) -> str:
    """A letter (a real PDF) to Ola's mailbox."""
    runtime = await build_runtime(Settings(data_dir=data_dir))
    try:
        pdf = DocumentInput(letter_pdf("Skatt", "Hei", ("Hei!",)), "pdf", "application/pdf", "Hei")
        command = SendLetter(uuid.UUID(sender_id), "platform", (pdf,), recipient=parse_party_id(OLA))
        return str((await send_letter(command, runtime)).shipment.id)
    finally:
        await runtime.close()


def _plain(text: str) -> str:
    """Rich's boxes and line breaks out of the way."""
    return " ".join(text.replace("│", " ").split())


@pytest.mark.parametrize("kind", ["missing", "folder", "not utf-8"])
def test_recipients_import_of_a_file_it_cannot_read_says_why(
    data_dir: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "recipients.csv"
    if kind == "folder":
        path.mkdir()
    elif kind == "not utf-8":
        path.write_bytes(b"id,name\n15108695088,\xff\xfeOla\n")
    human = postbud("recipients", "import", str(path), "--data-dir", str(data_dir))
    assert human.exit_code == 1
    assert "Traceback" not in human.stdout + human.stderr
    said = _plain(human.stderr)
    assert said.startswith("Error: file:"), said
    assert str(path) in said
    expected = {"missing": "no such file", "folder": "is a folder", "not utf-8": "is not UTF-8 text"}[kind]
    assert expected in said
    error = failed_json("recipients", "import", str(path), "--data-dir", str(data_dir))
    assert error["errors"][0]["field"] == "file"
    assert expected in error["errors"][0]["rule"]


def test_recipients_add_on_an_existing_id_changes_only_what_is_given(data_dir: Path) -> None:
    folder = ("--data-dir", str(data_dir))
    created = postbud_json(
        "recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox", "--email", "ola@example.no",
        "--mobile", "41234567", "--address", "Storgata 1|0155|Oslo", *folder,
    )  # fmt: skip
    assert created["created"] is True
    before = created["recipient"]

    renamed = postbud_json("recipients", "add", "--id", OLA, "--name", "Ola Normann", *folder)
    assert renamed["created"] is False
    after = renamed["recipient"]
    assert after["name"] == "Ola Normann"
    for kept in ("digital_mailbox", "mailbox_address", "email", "mobile", "postal_address"):
        assert after[kept] == before[kept], kept

    no_mail = postbud_json("recipients", "add", "--id", OLA, "--email", "", "--no-mailbox", *folder)[
        "recipient"
    ]
    assert no_mail["email"] is None
    assert no_mail["digital_mailbox"] is False
    assert no_mail["mobile"] == before["mobile"]
    assert no_mail["postal_address"] == before["postal_address"]

    replaced = postbud_json("recipients", "add", "--id", OLA, "--name", "Ola", "--replace", *folder)[
        "recipient"
    ]
    assert (replaced["mobile"], replaced["postal_address"]) == (None, None)
    assert "--replace" in _plain(postbud("recipients", "add", "--help").stdout)


def test_recipients_add_of_a_new_id_needs_a_name(data_dir: Path) -> None:
    error = failed_json("recipients", "add", "--id", OLA, "--mailbox", "--data-dir", str(data_dir))
    assert error["errors"] == [{"field": "name", "rule": "required for a new recipient (--name)"}]


def test_shipments_list_shows_whole_ids_that_show_takes_whole_or_by_a_unique_start(data_dir: Path) -> None:
    folder = ("--data-dir", str(data_dir))
    sender = postbud_json("senders", "add", "--name", "Skatt", "--orgnr", ORGNR, *folder)
    postbud_json("recipients", "add", "--id", OLA, "--name", "Ola Nordmann", "--mailbox", *folder)
    first = asyncio.run(_send(data_dir, sender["sender"]["id"]))
    second = asyncio.run(_send(data_dir, sender["sender"]["id"]))
    # Ids are UUIDv7: two letters sent moments apart share their first digits, as git's commits may.
    digits, others = first.replace("-", ""), second.replace("-", "")
    shared = next(i for i in range(32) if digits[i] != others[i])
    unique = digits[: max(shared + 1, 4)]

    listed = postbud("shipments", "list", *folder, env={"COLUMNS": "80"})
    assert listed.exit_code == 0, listed.stderr
    assert first in listed.stdout, listed.stdout
    assert "2 shipments" in listed.stdout

    for typed in (first, first.upper(), unique, unique.upper()):
        shown = postbud_json("shipments", "show", typed, *folder)
        assert shown["id"] == first, typed
    if shared >= 4:
        ambiguous = failed_json("shipments", "show", digits[:shared], *folder)
        assert ambiguous["errors"][0]["rule"].endswith("starts more than one shipment id; type more of it")
    too_short = failed_json("shipments", "show", first[:3], *folder)
    assert too_short["errors"][0]["rule"] == "give at least 4 characters of the id"
    not_hex = failed_json("shipments", "show", "zzzz", *folder)
    assert not_hex["errors"][0]["field"] == "shipment_id"
    assert failed_json("shipments", "show", "ffffffff", *folder)["type"] == "urn:postbud:problem:not-found"


def test_a_unique_start_of_an_id_is_found_on_either_database(database_url: str, tmp_path: Path) -> None:
    from postbud.services.parties.recipients import RecipientInput, register_recipient
    from postbud.services.parties.senders import RegisterSender, register_sender

    where = ("--data-dir", str(tmp_path / "data"), "--database-url", database_url)

    async def one_letter() -> str:
        runtime = await build_runtime(Settings(data_dir=tmp_path / "data", database_url=database_url))
        try:
            sender = await register_sender(RegisterSender(name="Skatt", organisation_number=ORGNR), runtime)
            await register_recipient(RecipientInput(id=OLA, name="Ola", mailbox=True), runtime)
            pdf = DocumentInput(content=real_pdf("hei"), file_type="pdf", mime="application/pdf", title="Hei")
            command = SendLetter(sender.sender.id, "platform", (pdf,), recipient=parse_party_id(OLA))
            return str((await send_letter(command, runtime)).shipment.id)
        finally:
            await runtime.close()

    shipment_id = asyncio.run(one_letter())
    assert postbud_json("shipments", "show", shipment_id[:6], *where)["id"] == shipment_id
    assert postbud_json("shipments", "show", shipment_id.replace("-", "")[:13], *where)["id"] == shipment_id


def test_shipments_show_names_event_data_for_people() -> None:
    from postbud.cli.shipments import event_details

    routed = {"channel": "digital_mailbox", "reason": "digital_mailbox is available", "considered": []}
    assert event_details(routed) == "channel: digital_mailbox\nreason: digital_mailbox is available"
    passed = {"reason": "no mailbox", "considered": ["digital_mailbox: no mailbox", "email: no address"]}
    assert (
        event_details(passed)
        == "reason: no mailbox\nconsidered:\n  - digital_mailbox: no mailbox\n  - email: no address"
    )
    assert event_details({"pending": True, "print_pdf": None}) == "pending: yes"
