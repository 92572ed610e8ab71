"""Ekopost's ``einbox_signer`` end to end (SQLite and PostgreSQL): the envelope through the dialect,
the invitations on a real SMTP server, each signer signing in the web inbox behind the sandbox e-ID,
the signed PDF (a PAdES signature over the whole file, the original bytes unchanged) e-mailed to
``info_mail``, and the envelope ``posted``. Nobody else can see or sign the document.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from postbud.crypto.document_seal import FILE_NAME, load_or_create_seal
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.parties import Recipient
from postbud.domain.status import ShipmentStatus
from tests.integration.test_channels import SmtpInbox, smtp  # noqa: F401  (the real SMTP server fixture)
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITH_MAILBOX,
    NO_PERSON_WITHOUT_MAILBOX,
    SE_PERSON_WITH_MAILBOX,
    Ekopost,
    _running,
    content_body,
    ekopost,  # noqa: F401  (the app without SMTP)
    letter_pdf,
)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
INFO_MAIL = "avtal@ekokunden.se"
OUTSIDER = "01019010046"
UNREGISTERED_SWEDE = "198112189876"
SIGNERS = [
    {"email": "tolvan@example.se", "recipient": SE_PERSON_WITH_MAILBOX, "issuer": True},
    {"email": "ola@example.no", "recipient": NO_PERSON_WITH_MAILBOX, "issuer": False},
]


@pytest.fixture
def signing(tmp_path: Path, database_url: str, smtp: SmtpInbox) -> Iterator[Ekopost]:  # noqa: F811
    yield from _running(tmp_path, database_url, smtp_url=smtp.url, public_url="http://testserver")


def _wait(condition: Any, what: str, app: Ekopost, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        app.run(lambda: asyncio.sleep(0.05))


def _person(app: Ekopost, party: str) -> Recipient:
    from postbud.services.parties.recipients import get_recipient

    return app.run(lambda: get_recipient(party, app.runtime))


def _events(app: Ekopost, envelope_id: str) -> list[ShipmentEvent]:
    async def load() -> list[ShipmentEvent]:
        async with app.runtime.reader() as uow:
            return await uow.events.for_shipment(uuid.UUID(envelope_id))

    return app.run(load)


def _token(app: Ekopost) -> str:
    page = app.http.get("/inbox/", follow_redirects=True).text
    match = CSRF.search(page)
    assert match, page
    return match.group(1)


def _sign_in(app: Ekopost, who: Recipient, *, e_id: bool = False) -> None:
    """Signed in with a password; ``e_id``: stepped up to the sandbox e-ID's highest level."""
    app.http.cookies.clear()
    response = app.http.post(
        "/inbox/sign-in",
        data={"csrf_token": _token(app), "recipient_id": str(who.id)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    if e_id:
        stepped = app.http.post(
            "/inbox/step-up",
            data={"csrf_token": _token(app), "level": "idporten_4", "next": "/inbox/"},
            follow_redirects=False,
        )
        assert stepped.status_code == 303, stepped.text


def _outsider(app: Ekopost) -> Recipient:
    """A person with an inbox of their own who is not one of the signers."""
    from postbud.services.parties.recipients import RecipientInput, register_recipient

    app.run(lambda: register_recipient(RecipientInput(OUTSIDER, "Nils Utenfor", mailbox=True), app.runtime))
    return _person(app, OUTSIDER)


def _post(app: Ekopost, path: str) -> Any:
    return app.http.post(path, data={"csrf_token": _token(app)}, follow_redirects=False)


def _envelope_to_sign(
    app: Ekopost, document: bytes, signers: list[dict[str, Any]] = SIGNERS
) -> tuple[str, str]:
    campaign = app.campaign(name="Avtal", output_date="2026-01-01", signing=True)
    address = {"$type": "einbox_signer", "info_mail": INFO_MAIL, "signers": signers}
    envelope = app.envelope(campaign["id"], name="Hyresavtal", address=address)
    assert envelope["address"]["$type"] == "einbox_signer"
    assert [s["recipient"] for s in envelope["address"]["signers"]] == [s["recipient"] for s in signers]
    added = app.add(campaign["id"], envelope["id"], content_body(document))
    assert added.status_code == 200, added.text
    return campaign["id"], envelope["id"]


def _sent_to(smtp: SmtpInbox, address: str) -> list[EmailMessage]:  # noqa: F811
    return [m for m in smtp.messages if m["To"] == address]


def _pdf_attachment(message: EmailMessage) -> bytes:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    content = parts[0].get_content()
    assert isinstance(content, bytes)
    return content


def _verify_independently(signed_pdf: bytes, certificate_der: bytes) -> None:
    """The PDF signature checked without pyHanko: the bytes its ByteRange names hash to the CMS
    message digest, and the seal's key signed those attributes (RSA PKCS#1 v1.5, SHA-256)."""
    from asn1crypto import cms
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    ranges = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed_pdf)
    assert len(ranges) == 1
    start, first, second, length = (int(v) for v in ranges[0])
    assert start == 0
    assert second + length == len(signed_pdf)  # the signature covers the file to its last byte
    covered = signed_pdf[start : start + first] + signed_pdf[second : second + length]
    contents = signed_pdf[first:second].strip(b"<>")
    # The signature is padded with zeros to its reserved size; the DER value's own length says where
    # it ends (stripping zeros would cut a signature whose last byte is 0, one in 256).
    info = cms.ContentInfo.load(bytes.fromhex(contents.decode()), strict=False)
    signer = info["content"]["signer_infos"][0]
    attributes = {a["type"].native: a["values"][0].native for a in signer["signed_attrs"]}
    assert attributes["message_digest"] == hashlib.sha256(covered).digest()
    key = x509.load_der_x509_certificate(certificate_der).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    signed_attributes = b"\x31" + signer["signed_attrs"].dump()[1:]  # signed as a SET, not [0]
    key.verify(signer["signature"].native, signed_attributes, padding.PKCS1v15(), hashes.SHA256())


def test_every_signer_signs_in_the_inbox_and_info_mail_gets_the_signed_pdf(
    signing: Ekopost,
    smtp: SmtpInbox,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = signing
    document = letter_pdf(body="Hyresavtal for Storgatan 1")
    campaign_id, envelope_id = _envelope_to_sign(app, document)
    base = f"/campaigns/{campaign_id}/envelopes/{envelope_id}"
    closed = app.post(base + "/close", {})
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == "closed"
    assert smtp.messages == []  # nobody is asked before the campaign releases the envelope

    assert app.post(f"/campaigns/{campaign_id}/close", {}).status_code == 200
    _wait(lambda: len(smtp.messages) >= 2, "the two invitations", app)
    tolvan_mail, ola_mail = _sent_to(smtp, SIGNERS[0]["email"]), _sent_to(smtp, SIGNERS[1]["email"])
    assert len(tolvan_mail) == 1
    assert len(ola_mail) == 1
    link = re.search(r"http://testserver(/inbox/signing/[0-9a-f-]{36})", tolvan_mail[0].get_content())
    assert link, tolvan_mail[0].get_content()
    page_path = link.group(1)
    assert page_path in ola_mail[0].get_content()
    assert app.get(base).json()["state"] == "closed"  # waiting for the signatures

    tolvan, ola = _person(app, SE_PERSON_WITH_MAILBOX), _person(app, NO_PERSON_WITH_MAILBOX)
    nils = _outsider(app)

    # Someone who is not a signer sees nothing and cannot sign, whatever their e-ID level.
    _sign_in(app, nils, e_id=True)
    assert app.http.get(page_path).status_code == 404
    assert app.http.get(page_path + "/document").status_code == 404
    assert _post(app, page_path + "/sign").status_code == 404
    assert "Hyresavtal" not in app.http.get("/inbox/signing").text

    # A signer signed in with a password sees the document and is asked for the e-ID first.
    _sign_in(app, tolvan)
    assert "1 dokument venter på signaturen din." in app.http.get("/inbox/").text
    assert "Hyresavtal" in app.http.get("/inbox/signing").text
    page = app.http.get(page_path)
    assert page.status_code == 200
    assert hashlib.sha256(document).hexdigest() in page.text
    assert app.http.get(page_path + "/document").content == document
    refused = _post(app, page_path + "/sign")
    assert refused.status_code == 303
    assert refused.headers["location"].startswith("/inbox/step-up")
    assert not [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]
    stepped = app.http.post(
        "/inbox/step-up",
        data={"csrf_token": _token(app), "level": "idporten_4", "next": page_path},
        follow_redirects=False,
    )
    assert stepped.status_code == 303
    assert stepped.headers["location"] == page_path
    assert _post(app, page_path + "/sign").status_code == 303
    assert _post(app, page_path + "/sign").status_code == 303  # twice: still one signature
    signed_events = [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]
    assert len(signed_events) == 1
    assert "venter på signaturen din" not in app.http.get("/inbox/").text
    assert signed_events[0].data["party"].endswith(SE_PERSON_WITH_MAILBOX[-10:])
    assert signed_events[0].data["document_sha256"] == hashlib.sha256(document).hexdigest()
    assert app.get(base).json()["state"] == "closed"
    assert _sent_to(smtp, INFO_MAIL) == []

    _sign_in(app, ola, e_id=True)
    assert _post(app, page_path + "/sign").status_code == 303
    app.wait_for(envelope_id, ShipmentStatus.DELIVERED, ShipmentStatus.FAILED)
    assert app.get(base).json()["state"] == "posted"
    signed_events = [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]
    assert sorted(e.data["signer"] for e in signed_events) == [0, 1]

    (final,) = _sent_to(smtp, INFO_MAIL)
    signed_pdf = _pdf_attachment(final)
    assert signed_pdf[: len(document)] == document  # the original bytes, unchanged, then the signature
    seal = load_or_create_seal(tmp_path / "data" / "sandbox")
    assert (tmp_path / "data" / "sandbox" / FILE_NAME).exists()
    reader = PdfFileReader(io.BytesIO(signed_pdf))
    (signature,) = reader.embedded_signatures
    trust = ValidationContext(trust_roots=[asn1_x509.Certificate.load(seal.certificate_der)])
    status = validate_pdf_signature(signature, trust)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    _verify_independently(signed_pdf, seal.certificate_der)
    tampered = bytearray(signed_pdf)
    tampered[len(document) // 2] ^= 0x01  # one bit of the original document changed
    assert not validate_pdf_signature(
        PdfFileReader(io.BytesIO(bytes(tampered)), strict=False).embedded_signatures[0], trust
    ).intact
    reason = str(signature.sig_object["/Reason"])
    assert "Tolvan Tolvansson" in reason
    assert "Ola Nordmann" in reason

    delivered = [e for e in _events(app, envelope_id) if e.type is EventType.DELIVERED]
    assert len(delivered) == 1
    assert delivered[0].data["signed_document_sha256"] == hashlib.sha256(signed_pdf).hexdigest()
    # Both signers may download the signed document from their inbox.
    assert app.http.get(page_path + "/document?signed=1").content == signed_pdf
    # Each e-mail went once: two invitations and one signed document.
    assert len(smtp.messages) == 3
    _wait(lambda: app.get(f"/campaigns/{campaign_id}").json()["state"] == "completed", "the campaign", app)


def test_signer_rules_answer_the_seed_codes(ekopost: Ekopost) -> None:  # noqa: F811
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    good = {"$type": "einbox_signer", "info_mail": INFO_MAIL, "signers": SIGNERS}

    def code(address: dict[str, Any]) -> str:
        response = ekopost.post(path, {"address": address})
        assert response.status_code == 400, response.text
        return str(response.json()["error_code"])

    assert code({**good, "info_mail": None}) == "120"
    assert code({**good, "info_mail": "not an address"}) == "123"
    assert code({**good, "signers": []}) == "122"
    assert code({k: v for k, v in good.items() if k != "signers"}) == "122"
    assert code({**good, "signers": [{**SIGNERS[0], "email": None}]}) == "120"
    assert code({**good, "signers": [{**SIGNERS[0], "email": "a@@b"}]}) == "123"
    assert code({**good, "signers": [{**SIGNERS[0], "recipient": None}]}) == "119"
    assert code({**good, "signers": [{**SIGNERS[0], "recipient": "19610305416"}]}) == "139"
    assert code({**good, "signers": [SIGNERS[0], {**SIGNERS[1], "issuer": True}]}) == "127"
    assert code({**good, "signers": [SIGNERS[1], SIGNERS[1]]}) == "127"  # the same person twice
    assert ekopost.post(path, {"address": good}).status_code == 200
    # Nothing half-written: only the good envelope exists.
    assert len(ekopost.get(path).json()) == 1
    # A signer the registry does not know, or knows without an inbox, signs by e-ID: accepted.
    for nobody in (UNREGISTERED_SWEDE, NO_PERSON_WITHOUT_MAILBOX):
        accepted = ekopost.post(path, {"address": {**good, "signers": [{**SIGNERS[0], "recipient": nobody}]}})
        assert accepted.status_code == 200, accepted.text


E_ID_SIGNERS = [
    {"email": "sven@example.se", "recipient": UNREGISTERED_SWEDE, "issuer": True},
    {"email": "kari@example.no", "recipient": NO_PERSON_WITHOUT_MAILBOX, "issuer": False},
]


def _prove(app: Ekopost, page_path: str, national_id: str, name: str) -> Any:
    """The sandbox e-ID (a test BankID) on the signing page: a national identity number and a name."""
    token = CSRF.search(app.http.get(page_path).text)
    assert token, "the e-ID login has no form"
    return app.http.post(
        page_path + "/e-id",
        data={"csrf_token": token.group(1), "national_id": national_id, "name": name},
        follow_redirects=False,
    )


def _post_on(app: Ekopost, page_path: str, action: str) -> Any:
    token = CSRF.search(app.http.get(page_path).text)
    assert token
    return app.http.post(page_path + action, data={"csrf_token": token.group(1)}, follow_redirects=False)


def test_signers_without_an_inbox_sign_by_e_id_on_the_page_their_e_mail_links_to(
    signing: Ekopost,
    smtp: SmtpInbox,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The seed: "if the einbox doesn't exist the document can be signed by bank-id login"."""
    app = signing
    document = letter_pdf(body="Hyresavtal for Storgatan 2")
    campaign_id, envelope_id = _envelope_to_sign(app, document, E_ID_SIGNERS)
    base = f"/campaigns/{campaign_id}/envelopes/{envelope_id}"
    assert app.post(base + "/close", {}).status_code == 200
    assert app.post(f"/campaigns/{campaign_id}/close", {}).status_code == 200
    _wait(lambda: len(smtp.messages) >= 2, "the two invitations", app)
    (sven_mail,) = _sent_to(smtp, "sven@example.se")
    (kari_mail,) = _sent_to(smtp, "kari@example.no")
    link = re.search(r"http://testserver(/inbox/e-signing/[0-9a-f-]{36})", sven_mail.get_content())
    assert link, sven_mail.get_content()
    page_path = link.group(1)
    assert page_path in kari_mail.get_content()
    assert "with your e-ID" in sven_mail.get_content()

    # Without an e-ID login: the login, nothing of the document.
    app.http.cookies.clear()
    login = app.http.get(page_path)
    assert login.status_code == 200
    assert 'name="national_id"' in login.text
    assert hashlib.sha256(document).hexdigest() not in login.text
    assert app.http.get(page_path + "/document", follow_redirects=False).status_code == 303
    assert _post_on(app, page_path, "/sign").status_code == 303
    assert not [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]

    # A number that is not valid is refused by the e-ID; someone else's gets no document.
    assert _prove(app, page_path, "198112189877", "Sven Svensson").status_code == 400
    assert _prove(app, page_path, OUTSIDER, "Nils Utenfor").status_code == 303
    outsider = app.http.get(page_path)
    assert outsider.status_code == 404
    assert hashlib.sha256(document).hexdigest() not in outsider.text
    assert app.http.get(page_path + "/document").status_code == 404
    assert _post_on(app, page_path, "/sign").status_code == 404
    assert not [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]
    # An inbox sign-in is not an e-ID proof for this page.
    _sign_in(app, _outsider(app), e_id=True)
    assert 'name="national_id"' in app.http.get(page_path).text

    # The Swede, unknown to the registry, proves his personnummer (another form of the same number).
    assert _prove(app, page_path, "19811218-9876", "Sven Svensson").status_code == 303
    page = app.http.get(page_path)
    assert page.status_code == 200
    assert hashlib.sha256(document).hexdigest() in page.text
    assert "Sven Svensson" in page.text
    assert app.http.get(page_path + "/document").content == document
    assert _post_on(app, page_path, "/sign").status_code == 303
    assert _post_on(app, page_path, "/sign").status_code == 303  # twice: still one signature
    (sven_signed,) = [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]
    assert sven_signed.data["name"] == "Sven Svensson"
    assert sven_signed.data["by"] == "e-id"
    assert sven_signed.data["party"].endswith(UNREGISTERED_SWEDE[-10:])
    assert _sent_to(smtp, INFO_MAIL) == []

    # Kari is in the registry without an inbox: she signs the same way, under the name her e-ID gives.
    assert _post_on(app, page_path, "/log-out").status_code == 303
    assert 'name="national_id"' in app.http.get(page_path).text
    assert _prove(app, page_path, NO_PERSON_WITHOUT_MAILBOX, "Kari Marie Nordmann").status_code == 303
    assert _post_on(app, page_path, "/sign").status_code == 303
    app.wait_for(envelope_id, ShipmentStatus.DELIVERED, ShipmentStatus.FAILED)
    assert app.get(base).json()["state"] == "posted"
    signed_events = [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]
    assert sorted((e.data["signer"], e.data["name"]) for e in signed_events) == [
        (0, "Sven Svensson"),
        (1, "Kari Marie Nordmann"),
    ]

    (final,) = _sent_to(smtp, INFO_MAIL)
    signed_pdf = _pdf_attachment(final)
    assert signed_pdf[: len(document)] == document
    seal = load_or_create_seal(tmp_path / "data" / "sandbox")
    (signature,) = PdfFileReader(io.BytesIO(signed_pdf)).embedded_signatures
    trust = ValidationContext(trust_roots=[asn1_x509.Certificate.load(seal.certificate_der)])
    assert validate_pdf_signature(signature, trust).valid
    reason = str(signature.sig_object["/Reason"])
    assert "Sven Svensson" in reason
    assert "Kari Marie Nordmann" in reason
    assert app.http.get(page_path + "/document?signed=1").content == signed_pdf
    assert len(smtp.messages) == 3
