"""C10 over HTTP on SQLite and PostgreSQL: every attachment of a correspondence in one zip, byte for
byte, with the real service's entry names (a name twice, without regard to case, gets ``(1)``; one of
more than 255 UTF-8 bytes is cut, its extension kept) and the title's slug as the zip's name; each
attachment noted downloaded; the refusals 2001, 2019, 2023, 4001 and the flag that turns it off."""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from typing import Any

import pytest

from postbud.domain.attachments import AttachmentStatus
from tests.integration.altinn_api_fixtures import (
    API,
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    Altinn,
    altinn,
    correspondence,
    problem,
)
from tests.real_pdf import real_pdf

__all__ = ["altinn"]

PDF = real_pdf("zip " + os.urandom(512).hex())
LONG = "ø" * 200 + ".txt"  # 200 characters, 404 bytes before the extension


def with_files(world: Altinn, files: list[tuple[str, bytes]], title: str = "Vedtak om skatt 2026!") -> str:
    data = {
        "correspondence.resourceId": "skd-melding",
        "correspondence.sendersReference": "zip",
        "correspondence.content.language": "nb",
        "correspondence.content.messageTitle": title,
        "correspondence.content.messageBody": "Se vedleggene.",
        "recipients[0]": f"0192:{ORG_RECIPIENT}",
    }
    for i, (name, _) in enumerate(files):
        data[f"correspondence.content.attachments[{i}].fileName"] = name
        data[f"correspondence.content.attachments[{i}].sendersReference"] = f"file-{i}"
    parts = [("attachments", (name, content, "application/octet-stream")) for name, content in files]
    response = world.http.post(
        f"{API}/correspondence/upload", data=data, files=parts, headers=world.as_sender()
    )
    assert response.status_code == 200, response.text
    cid: str = response.json()["correspondences"][0]["correspondenceId"]
    world.work()
    return cid


def download_all(world: Altinn, cid: str, headers: dict[str, str]) -> Any:
    return world.get(f"/correspondence/{cid}/attachments/downloadall", headers)


def test_all_attachments_come_as_one_zip_with_the_real_services_names(altinn: Altinn) -> None:
    text = b"Skattemelding 2026\n"
    cid = with_files(altinn, [("vedtak.pdf", PDF), ("Vedtak.PDF", PDF), (LONG, text)])
    org = altinn.as_org(ORG_RECIPIENT)
    assert altinn.get(f"/correspondence/{cid}", org).status_code == 200
    response = download_all(altinn, cid, org)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="vedtak-om-skatt-2026.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    long_entry = "ø" * 125 + ".txt"  # 254 bytes: no half letter in the 251 bytes before ".txt"
    assert archive.namelist() == ["vedtak.pdf", "Vedtak(1).PDF", long_entry]
    assert len(long_entry.encode()) <= 255
    assert archive.read("vedtak.pdf") == PDF
    assert archive.read("Vedtak(1).PDF") == PDF
    assert archive.read(long_entry) == text
    assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())

    details = altinn.get(f"/correspondence/{cid}/details", org).json()
    downloaded = [h for h in details["statusHistory"] if h["status"] == "AttachmentsDownloaded"]
    assert len(downloaded) == 3
    assert details["status"] == "AttachmentsDownloaded"


def test_download_all_refusals(altinn: Altinn, monkeypatch: pytest.MonkeyPatch) -> None:
    cid = with_files(altinn, [("vedtak.pdf", PDF)], title="!!!")
    org = altinn.as_org(ORG_RECIPIENT)
    problem(download_all(altinn, cid, altinn.as_org(OTHER_ORG_RECIPIENT)), 401, 4001)
    assert download_all(altinn, cid, altinn.as_sender()).status_code == 403  # the Recipient policy
    response = download_all(altinn, cid, org)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="correspondence-attachments.zip"'

    (plain,) = altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))
    altinn.work()
    problem(download_all(altinn, plain, org), 404, 2001)

    monkeypatch.setenv("POSTBUD_ALTINN_DOWNLOAD_ALL", "false")
    off = download_all(altinn, cid, org)
    assert off.status_code == 404
    assert off.headers["content-type"].startswith("application/problem+json")
    assert off.json()["detail"] == "Download all attachments is not available in this environment."


def test_more_than_25_mb_in_all_is_2023(altinn: Altinn) -> None:
    half = b"x" * 12_600_000
    cid = with_files(altinn, [("a.txt", half), ("b.txt", half)])
    problem(download_all(altinn, cid, altinn.as_org(ORG_RECIPIENT)), 400, 2023)


def test_a_purged_attachment_is_2019(altinn: Altinn) -> None:
    shared = altinn.post(
        "/attachment",
        altinn.as_sender(),
        json={"resourceId": "skd-melding", "fileName": "delt.pdf", "sendersReference": "s"},
    ).json()
    headers = altinn.as_sender() | {"content-type": "application/octet-stream"}
    assert altinn.post(f"/attachment/{shared}/upload", headers, content=PDF).status_code == 200
    first, _ = altinn.initialized(
        correspondence(f"0192:{ORG_RECIPIENT}", f"0192:{OTHER_ORG_RECIPIENT}")
        | {"existingAttachments": [shared]}
    )
    altinn.work()

    async def purged_meanwhile() -> None:
        # A shared attachment a letter names cannot be purged through the API (2007); the
        # recipient's purge of the other letter can, which this stands in for.
        async with altinn.runtime.unit_of_work() as uow:
            steps = [(AttachmentStatus.PURGED, "purged")]
            await uow.attachments.move(uuid.UUID(shared), steps, now=altinn.runtime.clock.now())

    altinn.run(purged_meanwhile)
    problem(download_all(altinn, first, altinn.as_org(ORG_RECIPIENT)), 400, 2019)
