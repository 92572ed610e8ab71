"""RS256 signing keys for bearer tokens, and their public halves as JSON Web Keys (RFC 7517).

A key is kept as one PEM file in the data folder, made once (atomically: several processes may
start together, the first file written wins). Its key id is the RFC 7638 thumbprint of its public
half, so every process that reads the file names the key the same way, and a replaced file gets a
new id that verifiers do not confuse with the old one.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from postbud.crypto.keys import load_private_key
from postbud.secret_files import create_once

ALGORITHM = "RS256"


@dataclass(frozen=True, slots=True)
class SigningKey:
    private_key: RSAPrivateKey
    kid: str

    @property
    def public_key(self) -> RSAPublicKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, str]:
        return public_jwk(self.public_key, self.kid)


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def thumbprint(public_key: RSAPublicKey) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, base64url."""
    numbers = public_key.public_numbers()
    members = {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("ascii")
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode("ascii")


def public_jwk(public_key: RSAPublicKey, kid: str) -> dict[str, str]:
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "use": "sig",
        "alg": ALGORITHM,
        "kid": kid,
        "n": _b64url_uint(numbers.n),
        "e": _b64url_uint(numbers.e),
    }


def jwk_set(keys: list[SigningKey]) -> dict[str, Any]:
    """A JWK Set document (RFC 7517 §5): what a ``jwks_uri`` serves."""
    return {"keys": [key.public_jwk() for key in keys]}


def load_or_create_signing_key(path: Path) -> SigningKey:
    """The RSA-2048 key in ``path`` (unencrypted PKCS#8 PEM, mode 0600), made on first use."""
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        create_once(path, pem)
    private_key = load_private_key(path.read_bytes())
    return SigningKey(private_key, thumbprint(private_key.public_key()))
