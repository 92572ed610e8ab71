"""Every ```python block of docs/sdk/digipost.md, run top to bottom against a live Postbud.

The blocks share one namespace, like a reader's session. The documented Digipost test URL is
pointed at the live server, and the files the examples read (``broker.p12``, ``vedtak.pdf``,
``vedlegg.pdf``) are made in a scratch working directory.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from postbud.dialects.digipost.keys import load_certificate, load_private_key
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from tests.integration.digipost_fixtures import a_pdf
from tests.integration.sdk_live_server import LiveDigipost, live_digipost

__all__ = ["live_digipost"]

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk" / "digipost.md"
DOCUMENTED_URL = "https://api.test.digipost.no"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[int, str]]:
    """(line number, code) of each python block in the document."""
    text = DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, match.start()) + 2, match.group(1)) for match in BLOCK.finditer(text)]


def _scratch_files(live: LiveDigipost, directory: Path) -> None:
    keystore = pkcs12.serialize_key_and_certificates(
        b"broker",
        load_private_key(live.key_pem),
        load_certificate(live.certificate_pem),
        None,
        serialization.BestAvailableEncryption(b"keystore-password"),
    )
    (directory / "broker.p12").write_bytes(keystore)
    (directory / "vedtak.pdf").write_bytes(a_pdf("Vedtak"))
    (directory / "vedlegg.pdf").write_bytes(a_pdf("Vedlegg"))


async def _own_mailbox(live: LiveDigipost) -> None:
    """The broker's organisation (974760673) gets a mailbox, so letters to it reach its inbox."""
    runtime = live.runtime
    async with runtime.unit_of_work() as uow:
        if await uow.recipients.by_party_id(parse_party_id("974760673")) is None:
            own = Recipient(
                uuid.uuid4(), parse_party_id("974760673"), "Testkommune", Capabilities(business_inbox=True)
            )
            await uow.recipients.add(own, now=runtime.clock.now())


async def _searchable_person(live: LiveDigipost) -> None:
    """A person with a published mailbox, for the search example."""
    runtime = live.runtime
    async with runtime.unit_of_work() as uow:
        if await uow.recipients.by_party_id(parse_party_id("12038510183")) is None:
            caps = Capabilities(
                digital_mailbox=True, mailbox_address="aase.odegaard#4B2C", mobile="+4741234527"
            )
            person = Recipient(uuid.uuid4(), parse_party_id("12038510183"), "Åse Ødegård", caps)
            await uow.recipients.add(person, now=runtime.clock.now())


def test_the_document_has_examples_for_every_section() -> None:
    blocks = python_blocks()
    assert len(blocks) >= 10
    assert all(DOCUMENTED_URL not in code for _, code in blocks[1:]), "only the config block names a URL"
    assert DOCUMENTED_URL in blocks[0][1]


def test_the_examples_run_against_a_live_server(
    live_digipost: LiveDigipost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scratch_files(live_digipost, tmp_path)
    live_digipost.run(_own_mailbox, live_digipost)
    live_digipost.run(_searchable_person, live_digipost)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "digipost_sdk_docs"}
    for line, code in python_blocks():
        source = code.replace(DOCUMENTED_URL, live_digipost.base_url)
        try:
            exec(compile(source, f"{DOC.name}:{line}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"the example at {DOC.name} line {line} failed: {exc!r}") from exc
    # The examples assert their own outcomes; these check that the session really ran to the end.
    assert namespace["person"].is_digipost_user
    assert namespace["batch"].status.value in ("COMMITTED", "DONE")
