"""Postbud's own token issuer: signs bearer tokens (RS256) with a key kept in the data folder.

Neutral of any dialect: a dialect decides the claims and the issuer names (Altinn's
``…/authentication/api/v1/openid/``, a Maskinporten-style one), this signs them and publishes the
public key as a JWK Set. Anyone who can read the data folder can mint tokens, exactly as anyone who
can read it can read the admin token; the key never leaves it.

Token lifetimes are wall-clock time, not the sandbox clock: moving the sandbox clock a week ahead
to publish letters must not expire every client's token.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jwt

from postbud.crypto.jwt_keys import ALGORITHM, SigningKey, jwk_set, load_or_create_signing_key

KEY_FILE = Path("keys") / "token-signing.pem"


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    key: SigningKey

    def sign(self, claims: Mapping[str, Any], *, ttl_seconds: int, now: float | None = None) -> str:
        """``claims`` plus ``iat``, ``nbf``, ``exp`` and a fresh ``jti``, signed; ``kid`` in the header."""
        if ttl_seconds <= 0:
            raise ValueError("a token's lifetime must be at least one second")
        issued = int(time.time() if now is None else now)
        body = {"iat": issued, "nbf": issued, "exp": issued + ttl_seconds, "jti": str(uuid.uuid4()), **claims}
        return jwt.encode(body, self.key.private_key, algorithm=ALGORITHM, headers={"kid": self.key.kid})

    def jwks(self) -> dict[str, Any]:
        return jwk_set([self.key])


@cache
def _issuer_at(key_path: Path) -> TokenIssuer:
    return TokenIssuer(load_or_create_signing_key(key_path))


def token_issuer(data_dir: Path) -> TokenIssuer:
    """The issuer whose key is in ``data_dir`` (made on first use; read once per process)."""
    return _issuer_at((data_dir / KEY_FILE).resolve())
