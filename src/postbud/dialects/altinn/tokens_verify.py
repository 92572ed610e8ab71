"""Verifying a bearer token: who signed it, with which key, whether it is still valid.

A token is accepted only if all of these hold, checked in this order (the first failure is the
reason given):

1. it is a JWT (three base64url parts, JSON header and claims);
2. its header's ``alg`` is RS256 (never ``none`` or an HMAC algorithm: a public key is no secret);
3. its ``iss`` is a trusted issuer — Postbud's own two (``tokens.sandbox_issuers``) or one configured
   in ``POSTBUD_ALTINN_TRUSTED_ISSUERS`` — compared exactly;
4. its ``kid`` names a key of that issuer (Postbud's own key, or one in the issuer's JWK Set, fetched
   by URL and cached);
5. its signature verifies with that key;
6. it has an ``exp`` in the future and, if present, ``nbf``/``iat`` not in the future — wall-clock
   time with no leeway, as Altinn validates (``ClockSkew = TimeSpan.Zero``).

The audience is not checked, as Altinn does not check it.
"""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from postbud.crypto.jwt_keys import ALGORITHM
from postbud.dialects.altinn.tokens import IssuerKind
from postbud.dialects.altinn.tokens_settings import TrustedIssuer
from postbud.services.sandbox.token_issuer import TokenIssuer


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    claims: dict[str, Any]
    issuer: str
    kind: IssuerKind


@dataclass(slots=True)
class TokenRejected(Exception):
    """Why a token is not accepted, in words for ``WWW-Authenticate``'s ``error_description``."""

    reason: str
    issuer: str | None = None
    """The ``iss`` the token claimed, when it could be read."""


@dataclass(frozen=True, slots=True)
class _External:
    issuer: TrustedIssuer
    client: jwt.PyJWKClient


class TokenVerifier:
    def __init__(
        self,
        own: TokenIssuer,
        own_issuers: dict[str, IssuerKind],
        trusted: list[TrustedIssuer] | None = None,
        *,
        jwks_cache_seconds: int = 300,
    ) -> None:
        self._own = own
        self._own_issuers = dict(own_issuers)
        self._external = {
            entry.issuer: _External(
                entry, jwt.PyJWKClient(entry.jwks_url, lifespan=jwks_cache_seconds, timeout=10)
            )
            for entry in trusted or []
            if entry.issuer not in self._own_issuers
        }

    @property
    def own_issuers(self) -> dict[str, IssuerKind]:
        return dict(self._own_issuers)

    async def verify(self, token: str) -> VerifiedToken:
        header, unverified = _read_unverified(token)
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or not issuer:
            raise TokenRejected("the token has no issuer (iss)")
        kid = header.get("kid")
        if issuer in self._own_issuers:
            kind = self._own_issuers[issuer]
            if kid != self._own.key.kid:
                raise TokenRejected(
                    f"the token is signed by a key this issuer does not have (kid {kid!r}); "
                    "postbud token must use the server's data folder (--data-dir)",
                    issuer,
                )
            key: RSAPublicKey | jwt.PyJWK = self._own.key.public_key
        elif issuer in self._external:
            external = self._external[issuer]
            kind = external.issuer.kind
            key = await _external_key(external, kid, issuer)
        else:
            reason = f"the issuer {issuer!r} is not trusted"
            if kid == self._own.key.kid:
                # Minted with this data folder's key for another public URL (postbud token's default).
                ours = " or ".join(repr(name) for name in self._own_issuers)
                reason += f"; this server's is {ours}: mint with --public-url set to the server's URL"
            raise TokenRejected(reason, issuer)
        return VerifiedToken(_decode(token, key, issuer, unverified), issuer, kind)


def _read_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims, read to pick the issuer and key; ``jwt.decode`` then checks everything.

    Read here rather than with pyjwt's unverified decoding: that checks every character of the token
    in Python, and the one verifying decode afterwards does it again anyway.
    """
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenRejected("the token is not a valid JWT (it must have three dot-separated parts)")
    try:
        header, claims = (
            json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in parts[:2]
        )
    except (ValueError, TypeError) as exc:
        raise TokenRejected(f"the token is not a valid JWT ({exc})") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise TokenRejected("the token is not a valid JWT (its header and claims must be JSON objects)")
    if header.get("alg") != ALGORITHM:
        raise TokenRejected(f"the token's algorithm {header.get('alg')!r} is not accepted; only {ALGORITHM}")
    return header, claims


async def _external_key(external: _External, kid: object, issuer: str) -> jwt.PyJWK:
    if not isinstance(kid, str) or not kid:
        raise TokenRejected("the token names no signing key (kid)", issuer)
    try:
        # PyJWKClient fetches with urllib (blocking) when its cache is empty or the kid is new.
        return await asyncio.to_thread(external.client.get_signing_key, kid)
    except jwt.PyJWKClientConnectionError as exc:
        raise TokenRejected(
            f"the issuer's keys could not be fetched from {external.issuer.jwks_url}", issuer
        ) from exc
    except jwt.PyJWKClientError as exc:
        raise TokenRejected(
            f"the token is signed by a key its issuer does not publish (kid {kid!r})", issuer
        ) from exc


def _decode(
    token: str, key: RSAPublicKey | jwt.PyJWK, issuer: str, unverified: dict[str, Any]
) -> dict[str, Any]:
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=issuer,
            options={"require": ["exp", "iss"], "verify_aud": False},
            leeway=0,
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected(f"the token expired at {_expiry(unverified)}", issuer) from exc
    except jwt.InvalidSignatureError as exc:
        raise TokenRejected("the token's signature is invalid", issuer) from exc
    except jwt.ImmatureSignatureError as exc:
        raise TokenRejected("the token is not valid yet (nbf or iat is in the future)", issuer) from exc
    except jwt.MissingRequiredClaimError as exc:
        raise TokenRejected(f"the token has no {exc.claim} claim", issuer) from exc
    except jwt.PyJWTError as exc:
        raise TokenRejected(f"the token is invalid ({exc})", issuer) from exc


def _expiry(claims: dict[str, Any]) -> str:
    exp = claims.get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool):
        return datetime.fromtimestamp(exp, UTC).isoformat()
    return "an unreadable time"
