"""Postbud's print encryption key: the certificate ``get_print_encryption_certificate`` hands out,
with which a sender pre-encrypts letters that may go to print, and the key that opens them again.

Kept in one PEM file (key, then certificate) in the data folder and created on first use, like the
server key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from postbud.crypto.keys import certificate_pem, generate_test_key_and_certificate, load_private_key
from postbud.secret_files import create_once

FILE_NAME = "digipost-print-encryption.pem"


@dataclass(frozen=True, slots=True)
class PrintKey:
    private_key: RSAPrivateKey
    certificate_pem: str


def load_or_create(directory: Path) -> PrintKey:
    path = directory / FILE_NAME
    if not path.exists():
        key_pem, cert_pem = generate_test_key_and_certificate("Postbud print encryption")
        create_once(path, key_pem + cert_pem)
    data = path.read_bytes()
    certificate = x509.load_pem_x509_certificate(data[data.index(b"-----BEGIN CERTIFICATE-----") :])
    return PrintKey(load_private_key(data), certificate_pem(certificate))
