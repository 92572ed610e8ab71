"""Pre-encrypting documents (§5.6) as the Java client does: CMS EnvelopedData (DER), AES-256-CBC
content, the content key RSA-encrypted (PKCS#1 v1.5) for the recipient's key (named by its key id as
subject key identifier) or for the print encryption certificate (named by issuer and serial)."""

from __future__ import annotations

import os

from cryptography import x509
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.serialization import load_pem_public_key

__all__ = ["encrypt_for_certificate", "encrypt_for_key"]

_ENVELOPED_DATA = bytes.fromhex("2a864886f70d010703")
_DATA = bytes.fromhex("2a864886f70d010701")
_RSA = bytes.fromhex("2a864886f70d010101")
_AES256_CBC = bytes.fromhex("60864801650304012a")


def _tlv(tag: int, value: bytes) -> bytes:
    size = len(value)
    if size < 0x80:
        return bytes([tag, size]) + value
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + value


def _seq(*items: bytes) -> bytes:
    return _tlv(0x30, b"".join(items))


def _oid(oid: bytes) -> bytes:
    return _tlv(0x06, oid)


def _int(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True))


def _envelope(content: bytes, public_key: RSAPublicKey, version: int, recipient_id: bytes) -> bytes:
    content_key, iv = os.urandom(32), os.urandom(16)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(content_key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(content) + padder.finalize()) + encryptor.finalize()
    encrypted_key = public_key.encrypt(content_key, rsa_padding.PKCS1v15())
    recipient = _seq(_int(version), recipient_id, _seq(_oid(_RSA), b"\x05\x00"), _tlv(0x04, encrypted_key))
    encrypted_content = _seq(_oid(_DATA), _seq(_oid(_AES256_CBC), _tlv(0x04, iv)), _tlv(0x80, ciphertext))
    enveloped = _seq(_int(2 if version == 2 else 0), _tlv(0x31, recipient), encrypted_content)
    return _seq(_oid(_ENVELOPED_DATA), _tlv(0xA0, enveloped))


def encrypt_for_key(content: bytes, public_key_pem: str, key_id: str) -> bytes:
    """For a recipient's ``encryption-key`` (from identification with encryption key)."""
    key = load_pem_public_key(public_key_pem.encode())
    if not isinstance(key, RSAPublicKey):
        raise ValueError("the encryption key is not an RSA key")
    return _envelope(content, key, 2, _tlv(0x80, key_id.encode()))


def encrypt_for_certificate(content: bytes, certificate_pem: str) -> bytes:
    """For the print encryption certificate."""
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    key = certificate.public_key()
    if not isinstance(key, RSAPublicKey):
        raise ValueError("the print certificate's key is not an RSA key")
    issuer = certificate.issuer.public_bytes()
    return _envelope(content, key, 0, _seq(issuer, _int(certificate.serial_number)))
