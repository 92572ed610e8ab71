"""The sandbox's document seal: the key and certificate that sign documents once all have signed.

A TEST KEY, generated into the data folder at first use like the other sandbox keys: its certificate
is self-signed and says so in its name, so no PDF reader trusts it unless told to. A deployment that
seals for real would put its own certificate there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from postbud.crypto.keys import load_private_key
from postbud.secret_files import create_once

FILE_NAME: Final = "document-seal.pem"
COMMON_NAME: Final = "Postbud sandbox document seal (TEST KEY, not trusted)"


@dataclass(frozen=True, slots=True)
class DocumentSeal:
    key_der: bytes
    """PKCS#8, unencrypted."""
    certificate_der: bytes


def _new_seal() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Postbud sandbox"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem + certificate.public_bytes(serialization.Encoding.PEM)


def load_or_create_seal(directory: Path) -> DocumentSeal:
    """The seal in ``directory``; a new test key and certificate there if there is none yet."""
    path = directory / FILE_NAME
    if not path.exists():
        create_once(path, _new_seal())
    data = path.read_bytes()
    key = load_private_key(data)
    certificate = x509.load_pem_x509_certificate(data[data.index(b"-----BEGIN CERTIFICATE-----") :])
    return DocumentSeal(
        key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        certificate.public_bytes(serialization.Encoding.DER),
    )
