"""Pre-encrypted documents (reference §5.6): CMS EnvelopedData made for the recipient's key
(identification with encryption key) or for the print encryption certificate is opened by Postbud,
which then stores, prints and shows the plain document."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import Encoding, load_pem_public_key, pkcs7
from cryptography.x509.oid import NameOID
from lxml import etree

from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import (
    BROKER,
    MAILBOX_PERSON,
    PAPER_PERSON,
    a_pdf,
    client,
    error_code,
    message,
)
from tests.integration.digipost_requests import get, post_xml, valid_v8
from tests.integration.test_digipost_send import PRINT_DETAILS

__all__ = ["client"]

ENCRYPTED = '<encrypted number-of-pages="1"/>'


def q(name: str) -> str:
    return f"{{{V8}}}{name}"


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def envelope(content: bytes, certificate: x509.Certificate) -> bytes:
    return (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(content)
        .add_recipient(certificate)
        .encrypt(Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


def certificate_for(public_key: RSAPublicKey) -> x509.Certificate:
    """A certificate around a bare public key, so the envelope builder can address it."""
    issuer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mottaker")])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(issuer_key, hashes.SHA256())
    )


def stored_hash(client: SignedClient, document_uuid: str) -> str | None:
    status = valid_v8(get(client, f"/digipost/documents/{BROKER}/{document_uuid}/status"))
    return status.get("content-hash")


def test_a_letter_encrypted_for_the_recipients_key_is_opened(client: SignedClient) -> None:
    identified = post_xml(
        client,
        "/digipost/identification/with-encryption-key",
        f'<identification xmlns="{V8}"><personal-identification-number>{MAILBOX_PERSON}'
        "</personal-identification-number></identification>",
    )
    key_pem = etree.fromstring(identified.content).findtext(q("encryption-key")) or ""
    public_key = load_pem_public_key(key_pem.encode())
    assert isinstance(public_key, RSAPublicKey)
    pdf = a_pdf("Hemmelig")
    doc = str(uuid.uuid4())
    recipient = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
    response = client.send(
        message(recipient, doc, extra=ENCRYPTED), {doc: envelope(pdf, certificate_for(public_key))}
    )
    assert response.status_code == 201, response.text
    assert etree.fromstring(response.content).findtext(q("delivery-method")) == "DIGIPOST"
    assert stored_hash(client, doc) == sha256_b64(pdf)


def test_a_letter_encrypted_for_the_print_certificate_is_printed_opened(client: SignedClient) -> None:
    pem = valid_v8(get(client, "/digipost/print-encryption-certificate")).text or ""
    certificate = x509.load_pem_x509_certificate(pem.encode())
    pdf = a_pdf("Til print")
    doc = str(uuid.uuid4())
    recipient = (
        f"<personal-identification-number>{PAPER_PERSON}</personal-identification-number>{PRINT_DETAILS}"
    )
    response = client.send(message(recipient, doc, extra=ENCRYPTED), {doc: envelope(pdf, certificate)})
    assert response.status_code == 201, response.text
    assert etree.fromstring(response.content).findtext(q("delivery-method")) == "PRINT"
    assert stored_hash(client, doc) == sha256_b64(pdf)


def test_content_marked_encrypted_must_be_enveloped_for_a_key_postbud_holds(client: SignedClient) -> None:
    doc = str(uuid.uuid4())
    recipient = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
    plain = client.send(message(recipient, doc, extra=ENCRYPTED), {doc: a_pdf()})
    assert (plain.status_code, error_code(plain)) == (400, "CONTENT_NOT_ENCRYPTED")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    doc = str(uuid.uuid4())
    wrong = client.send(
        message(recipient, doc, extra=ENCRYPTED), {doc: envelope(a_pdf(), certificate_for(stranger))}
    )
    assert (wrong.status_code, error_code(wrong)) == (400, "CONTENT_NOT_ENCRYPTED_WITH_CORRECT_KEY")
