"""Reading CMS EnvelopedData: DER and BER (indefinite lengths, content in chunks), recipients by
issuer and serial or by subject key identifier, a wrong key and bytes that are not EnvelopedData."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from postbud.crypto.cms import NotEnvelopedData, WrongKey, decrypt_enveloped_data, is_enveloped_data
from postbud.crypto.keys import generate_test_key_and_certificate, load_private_key
from postbud.sdk.digipost.encryption import encrypt_for_certificate, encrypt_for_key

CONTENT = b"%PDF-1.4 hemmelig " * 500


@pytest.fixture(scope="module")
def pair() -> tuple[bytes, bytes]:
    return generate_test_key_and_certificate("cms")


def _public_pem(key_pem: bytes) -> str:
    key = load_private_key(key_pem)
    return (
        key.public_key().public_bytes(Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    )


def _ber(der: bytes) -> bytes:
    """The same EnvelopedData re-encoded as BouncyCastle writes it: every constructed value of the
    outer layers with indefinite length, and the encrypted content as a constructed OCTET STRING of
    small chunks."""

    def parse(data: bytes, pos: int) -> tuple[int, bytes, int]:
        tag, first = data[pos], data[pos + 1]
        if first < 0x80:
            return tag, data[pos + 2 : pos + 2 + first], pos + 2 + first
        count = first & 0x7F
        size = int.from_bytes(data[pos + 2 : pos + 2 + count], "big")
        start = pos + 2 + count
        return tag, data[start : start + size], start + size

    def encode(tag: int, value: bytes) -> bytes:
        if tag == 0x80:  # [0] IMPLICIT encrypted content → constructed chunks
            chunks = b"".join(encode(0x04, value[i : i + 100]) for i in range(0, len(value), 100))
            return bytes([0xA0, 0x80]) + chunks + b"\x00\x00"
        if tag & 0x20:
            inner, pos = b"", 0
            while pos < len(value):
                child_tag, child, pos = parse(value, pos)
                inner += encode(child_tag, child)
            return bytes([tag, 0x80]) + inner + b"\x00\x00"
        size = len(value)
        length = bytes([size]) if size < 0x80 else bytes([0x80 | 2]) + size.to_bytes(2, "big")
        return bytes([tag]) + length + value

    tag, value, _ = parse(der, 0)
    return encode(tag, value)


def test_issuer_and_serial_in_der_and_ber(pair: tuple[bytes, bytes]) -> None:
    key_pem, cert_pem = pair
    der = encrypt_for_certificate(CONTENT, cert_pem.decode())
    key = load_private_key(key_pem)
    assert decrypt_enveloped_data(der, [key]) == CONTENT
    assert decrypt_enveloped_data(_ber(der), [key]) == CONTENT


def test_subject_key_identifier(pair: tuple[bytes, bytes]) -> None:
    key_pem, _ = pair
    data = encrypt_for_key(CONTENT, _public_pem(key_pem), "key-id-123")
    assert decrypt_enveloped_data(_ber(data), [load_private_key(key_pem)]) == CONTENT


def test_cryptographys_own_envelopes_open(pair: tuple[bytes, bytes]) -> None:
    key_pem, cert_pem = pair
    certificate = x509.load_pem_x509_certificate(cert_pem)
    data = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(CONTENT)
        .add_recipient(certificate)
        .encrypt(Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    assert decrypt_enveloped_data(data, [load_private_key(key_pem)]) == CONTENT


def test_a_wrong_key_and_plain_bytes(pair: tuple[bytes, bytes]) -> None:
    _, cert_pem = pair
    other_key, _ = generate_test_key_and_certificate("other")
    data = encrypt_for_certificate(CONTENT, cert_pem.decode())
    with pytest.raises(WrongKey):
        decrypt_enveloped_data(data, [load_private_key(other_key)])
    assert not is_enveloped_data(b"%PDF-1.4 plain")
    with pytest.raises(NotEnvelopedData):
        decrypt_enveloped_data(b"%PDF-1.4 plain", [load_private_key(other_key)])
    with pytest.raises(NotEnvelopedData):
        decrypt_enveloped_data(data[:40], [load_private_key(other_key)])
