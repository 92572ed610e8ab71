"""Attachments over HTTP: shared attachments A1–A6 (MD5 as reported, names and types as §3.4, a
download byte-identical to the upload), reused by a correspondence (``existingAttachments``), the
multipart initialize C2 with its files (the Bruno collection's and the k6 use-case test's form keys),
the recipient's download C9, and each refusal with its catalogue code."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from postbud.storage import schema
from tests.integration.altinn_api_fixtures import (
    API,
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    OTHER_OWNER,
    Altinn,
    altinn,
    correspondence,
    letters,
    problem,
)
from tests.integration.core_send_helpers import count
from tests.real_pdf import real_pdf

__all__ = ["altinn"]

PDF = real_pdf("attachment " + os.urandom(2048).hex())


def shared(world: Altinn, **changes: Any) -> str:
    body = {
        "resourceId": "skd-melding",
        "fileName": "vedtak.pdf",
        "displayName": "Vedtak",
        "sendersReference": "a1",
    }
    body.update(changes)
    response = world.post("/attachment", world.as_sender(), json=body)
    assert response.status_code == 200, response.text
    attachment_id: str = response.json()
    return attachment_id


def upload(world: Altinn, attachment_id: str, data: bytes = PDF, **kwargs: Any) -> Any:
    headers = kwargs.pop("headers", world.as_sender()) | {"content-type": "application/octet-stream"}
    return world.post(f"/attachment/{attachment_id}/upload", headers, content=data)


def test_a_shared_attachment_round_trip_and_reuse(altinn: Altinn) -> None:
    md5 = hashlib.md5(PDF, usedforsecurity=False).hexdigest()
    attachment_id = shared(altinn, checksum=md5)
    sender = altinn.as_sender()
    assert altinn.get(f"/attachment/{attachment_id}", sender).json()["status"] == "Initialized"
    uploaded = upload(altinn, attachment_id)
    assert uploaded.status_code == 200, uploaded.text
    overview = uploaded.json()
    assert (overview["attachmentId"], overview["status"], overview["checksum"]) == (
        attachment_id,
        "Published",
        md5,
    )
    assert overview["fileName"] == "vedtak.pdf"
    assert overview["dataType"] == "application/pdf"
    assert overview["resourceId"] == "skd-melding"
    assert overview["sender"] == "urn:altinn:organization:identifier-no:974761076"
    assert overview["correspondenceIds"] == []
    details = altinn.get(f"/attachment/{attachment_id}/details", sender).json()
    assert [h["status"] for h in details["statusHistory"]] == ["Initialized", "UploadProcessing", "Published"]
    assert altinn.get(f"/attachment/{attachment_id}/download", sender).content == PDF
    problem(upload(altinn, attachment_id), 400, 2005)

    body = correspondence(requestedPublishTime="2099-01-01T00:00:00+00:00") | {
        "existingAttachments": [attachment_id]
    }
    response = altinn.initialize(body)
    assert response.json()["attachmentIds"] == [attachment_id]
    (cid,) = [c["correspondenceId"] for c in response.json()["correspondences"]]
    assert altinn.get(f"/attachment/{attachment_id}", sender).json()["correspondenceIds"] == [cid]
    problem(altinn.delete(f"/attachment/{attachment_id}", sender), 400, 2007)
    content = altinn.get(f"/correspondence/{cid}", sender).json()["content"]
    assert [a["id"] for a in content["attachments"]] == [
        attachment_id
    ]  # not published yet: shown to its sender
    assert content["attachments"][0]["checksum"] == md5


def test_a_recipient_downloads_byte_identical_and_the_sender_no_longer_can(altinn: Altinn) -> None:
    attachment_id = shared(altinn)
    upload(altinn, attachment_id)
    (cid,) = altinn.initialized(correspondence() | {"existingAttachments": [attachment_id]})
    org = altinn.as_org(ORG_RECIPIENT)
    altinn.get(f"/correspondence/{cid}", org)
    download = altinn.get(f"/correspondence/{cid}/attachment/{attachment_id}/download", org)
    assert download.status_code == 200, download.text
    assert download.content == PDF
    assert download.headers["content-disposition"].startswith("inline")
    details = altinn.get(f"/correspondence/{cid}/details", org).json()
    assert details["status"] == "AttachmentsDownloaded"
    assert details["statusHistory"][-1]["statusText"] == f"Attachment {attachment_id} has been downloaded"
    problem(altinn.get(f"/attachment/{attachment_id}/download", altinn.as_sender()), 400, 2016)


def test_attachment_refusals(altinn: Altinn) -> None:
    sender = altinn.as_sender()
    bad_md5 = shared(altinn, checksum="0" * 32)
    problem(upload(altinn, bad_md5), 400, 2008)
    assert altinn.get(f"/attachment/{bad_md5}", sender).json()["status"] == "Failed"
    for name, number in (("virus.exe", 2013), ("a<b.pdf", 2012), ("CON.pdf", 2021), ("", 2010)):
        body = {"resourceId": "skd-melding", "fileName": name, "sendersReference": "r"}
        problem(altinn.post("/attachment", sender, json=body), 400, number)
    mine = shared(altinn)
    problem(altinn.get(f"/attachment/{mine}", altinn.as_sender(OTHER_OWNER)), 404, 2001)
    problem(upload(altinn, mine, headers=altinn.as_sender(OTHER_OWNER)), 404, 2001)
    problem(upload(altinn, mine, b""), 400, 2004)
    body = {"resourceId": "nav-vedtak", "fileName": "a.pdf", "sendersReference": "r"}
    problem(altinn.post("/attachment", sender, json=body), 401, 4001)
    not_published = shared(altinn)
    problem(altinn.initialize(correspondence() | {"existingAttachments": [not_published]}), 400, 1018)
    theirs = altinn.post(
        "/attachment",
        altinn.as_sender(OTHER_OWNER),
        json={"resourceId": "nav-vedtak", "fileName": "a.pdf", "sendersReference": "r"},
    ).json()
    problem(altinn.initialize(correspondence() | {"existingAttachments": [theirs]}), 400, 1017)
    purged = altinn.delete(f"/attachment/{mine}", sender)
    assert purged.status_code == 204
    assert altinn.get(f"/attachment/{mine}", sender).json()["status"] == "Purged"
    problem(altinn.delete(f"/attachment/{mine}", sender), 400, 2006)


def test_multipart_initialize_with_lower_case_dotted_keys_as_the_bruno_collection_sends(
    altinn: Altinn,
) -> None:
    data = {
        "correspondence.resourceid": "skd-melding",
        "correspondence.sendersreference": "bruno",
        "correspondence.content.language": "nb",
        "correspondence.content.messagetitle": "Med vedlegg",
        "correspondence.content.messagebody": "Se vedlegget.",
        "correspondence.content.attachments[0].filename": "vedtak.pdf",
        "correspondence.content.attachments[0].sendersreference": "file-1",
        "correspondence.content.attachments[0].isencrypted": "false",
        "correspondence.propertyList.CaseNumber": "42",
        "correspondence.isconfirmationneeded": "false",
        "recipients[0]": f"0192:{ORG_RECIPIENT}",
    }
    files = {"Attachments": ("vedtak.pdf", PDF, "application/pdf")}
    response = altinn.http.post(
        f"{API}/correspondence/upload", data=data, files=files, headers=altinn.as_sender()
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    (attachment_id,) = answer["attachmentIds"]
    cid = answer["correspondences"][0]["correspondenceId"]
    org = altinn.as_org(ORG_RECIPIENT)
    overview = altinn.get(f"/correspondence/{cid}", org).json()
    assert overview["propertyList"] == {"CaseNumber": "42"}
    assert overview["content"]["attachments"][0]["id"] == attachment_id
    download = altinn.get(f"/correspondence/{cid}/attachment/{attachment_id}/download", org)
    assert download.content == PDF


def test_a_multipart_initialize_whose_files_do_not_match_is_1005_and_writes_nothing(altinn: Altinn) -> None:
    data = {
        "correspondence.resourceId": "skd-melding",
        "correspondence.sendersReference": "r",
        "correspondence.content.messageTitle": "t",
        "correspondence.content.messageBody": "b",
        "correspondence.content.attachments[0].fileName": "a.pdf",
        "correspondence.content.attachments[0].sendersReference": "r",
        "recipients[0]": f"0192:{ORG_RECIPIENT}",
    }
    files = [
        ("attachments", ("a.pdf", PDF, "application/pdf")),
        ("attachments", ("b.pdf", PDF, "application/pdf")),
    ]
    response = altinn.http.post(
        f"{API}/correspondence/upload", data=data, files=files, headers=altinn.as_sender()
    )
    problem(response, 400, 1005)


def test_a_shared_attachment_stays_while_another_correspondence_uses_it(altinn: Altinn) -> None:
    attachment_id = shared(altinn)
    upload(altinn, attachment_id)
    body = correspondence(f"0192:{ORG_RECIPIENT}", f"0192:{OTHER_ORG_RECIPIENT}")
    first, second = altinn.initialized(body | {"existingAttachments": [attachment_id]})
    sender = altinn.as_sender()
    assert altinn.get(f"/attachment/{attachment_id}", sender).json()["correspondenceIds"] == [first, second]
    org = altinn.as_org(ORG_RECIPIENT)
    altinn.get(f"/correspondence/{first}", org)
    assert altinn.delete(f"/correspondence/{first}/purge", org).status_code == 200
    assert altinn.get(f"/attachment/{attachment_id}", sender).json()["status"] == "Published"
    other = altinn.as_org(OTHER_ORG_RECIPIENT)
    altinn.get(f"/correspondence/{second}", other)
    download = altinn.get(f"/correspondence/{second}/attachment/{attachment_id}/download", other)
    assert download.content == PDF


def _form_with_one_file(checksum: str | None = None) -> dict[str, str]:
    data = {
        "correspondence.resourceId": "skd-melding",
        "correspondence.sendersReference": "r",
        "correspondence.content.messageTitle": "t",
        "correspondence.content.messageBody": "b",
        "correspondence.content.attachments[0].fileName": "a.pdf",
        "correspondence.content.attachments[0].sendersReference": "r",
        "correspondence.content.attachments[1].fileName": "b.pdf",
        "correspondence.content.attachments[1].sendersReference": "r",
        "recipients[0]": f"0192:{ORG_RECIPIENT}",
    }
    if checksum is not None:
        data["correspondence.content.attachments[1].checksum"] = checksum
    return data


def test_a_refused_file_in_a_multipart_initialize_leaves_no_attachment_at_all(altinn: Altinn) -> None:
    """The first file is fine, the second refused: neither is stored (no Initialized row, no Published)."""
    empty = [
        ("attachments", ("a.pdf", PDF, "application/pdf")),
        ("attachments", ("b.pdf", b"", "application/pdf")),
    ]
    response = altinn.http.post(
        f"{API}/correspondence/upload",
        data=_form_with_one_file(),
        files=empty,
        headers=altinn.as_sender(),
    )
    problem(response, 400, 2004)
    assert altinn.run(count, altinn.runtime, schema.attachments) == 0
    mismatch = [
        ("attachments", ("a.pdf", PDF, "application/pdf")),
        ("attachments", ("b.pdf", PDF, "application/pdf")),
    ]
    response = altinn.http.post(
        f"{API}/correspondence/upload",
        data=_form_with_one_file(checksum="0" * 32),
        files=mismatch,
        headers=altinn.as_sender(),
    )
    problem(response, 400, 2008)
    assert altinn.run(count, altinn.runtime, schema.attachments) == 0
    assert altinn.run(count, altinn.runtime, schema.attachment_events) == 0
    assert letters(altinn) == 0
