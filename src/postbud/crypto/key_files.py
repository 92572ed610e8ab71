"""A key and its certificate kept in one PEM file (key, then certificate), created on first use.

Several processes may start at once: the file is created atomically, and the first one written wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from postbud.crypto.keys import certificate_pem, generate_test_key_and_certificate, load_private_key
from postbud.secret_files import create_once


@dataclass(frozen=True, slots=True)
class KeyFile:
    private_key: RSAPrivateKey
    certificate_pem: str


def load_or_create_key_file(path: Path, common_name: str) -> KeyFile:
    """The key and certificate in ``path``; a new pair for ``common_name`` if there is none yet."""
    if not path.exists():
        key_pem, cert_pem = generate_test_key_and_certificate(common_name)
        create_once(path, key_pem + cert_pem)
    data = path.read_bytes()
    certificate = x509.load_pem_x509_certificate(data[data.index(b"-----BEGIN CERTIFICATE-----") :])
    return KeyFile(load_private_key(data), certificate_pem(certificate))
