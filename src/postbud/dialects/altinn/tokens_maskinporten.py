"""The sandbox's Maskinporten token endpoint: a JWT-bearer client assertion in, a Maskinporten-style
access token out — so Altinn's Bruno collection and k6 use-case test get their Maskinporten token
from Postbud with only the token URL changed.

How a client is known (Postbud's convention, not Maskinporten's registry): the assertion's ``iss``
(the ``client_id``) is the organisation number of a registered sender, and the assertion is signed
with the key of the certificate registered for that sender (``postbud senders add --generate-key
KEY.pem`` or ``--certificate``). The scopes asked for are granted when the sender has no Altinn
scope grant; when it has one (``grant_organisation``), only those scopes.

Refusals are OAuth 2.0 errors (RFC 6749 §5.2) as Maskinporten words them: ``invalid_request``,
``unsupported_grant_type``, ``invalid_client``, ``invalid_grant``, ``invalid_scope``, with
``error_description``, status 400.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Final

import jwt

from postbud.crypto.jwt_keys import ALGORITHM
from postbud.crypto.keys import KeyLoadError, load_public_key
from postbud.dialects.altinn.tokens import IssuerKind, maskinporten_issuer, organisation_claims, scope_claim
from postbud.domain.errors import NotFound
from postbud.services.parties.credentials import sender_by_organisation
from postbud.services.parties.senders import find_sender
from postbud.services.runtime import Runtime
from postbud.services.sandbox.token_issuer import token_issuer

JWT_BEARER: Final = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_PATH: Final = "token"
ACCESS_TOKEN_SECONDS: Final = 120
"""Maskinporten's default access token lifetime."""
MAX_ASSERTION_SECONDS: Final = 120
"""Maskinporten refuses client assertions that live longer."""
MASKINPORTEN_AUDIENCES: Final = frozenset(
    {
        "https://maskinporten.no/",
        "https://maskinporten.no/token",
        "https://test.maskinporten.no/",
        "https://test.maskinporten.no/token",
    }
)
"""The audiences clients written for Maskinporten put in their assertions (hard-coded in Altinn's
Bruno collection), taken beside Postbud's own issuer and token URL."""


@dataclass(slots=True)
class OAuthError(Exception):
    error: str
    description: str

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


async def grant(runtime: Runtime, form: dict[str, str]) -> dict[str, Any]:
    """The token response for a JWT-bearer grant, or ``OAuthError``."""
    if form.get("grant_type") != JWT_BEARER:
        raise OAuthError("unsupported_grant_type", f"grant_type must be {JWT_BEARER}")
    assertion = form.get("assertion", "").strip()
    if not assertion:
        raise OAuthError("invalid_request", "the assertion (a signed JWT) is missing")
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise OAuthError("invalid_request", f"the assertion is not a JWT ({exc})") from exc
    if header.get("alg") != ALGORITHM:
        raise OAuthError("invalid_grant", f"the assertion must be signed with {ALGORITHM}")
    if "authorization_details" in unverified:
        # Acting as another organisation's system user needs its delegation, which the sandbox has no
        # register of; a token for the client itself would silently act as someone else.
        raise OAuthError(
            "invalid_request",
            "system users (authorization_details) are not supported by Postbud's sandbox: an organisation "
            "reads its own correspondence with postbud token --org ORGNR --scope altinn:correspondence.read",
        )
    client_id = str(unverified.get("iss") or "")
    public_url = runtime.settings.resolved_public_url
    claims = _verified(assertion, await _client_key(runtime, client_id), public_url)
    scopes = await _granted(runtime, client_id, scope_claim([str(claims.get("scope") or "")]))
    body = {
        "iss": maskinporten_issuer(public_url),
        "aud": str(claims.get("resource") or "unspecified"),
        **organisation_claims(client_id, [scopes], kind=IssuerKind.MASKINPORTEN, client_id=client_id),
    }
    token = token_issuer(runtime.settings.resolved_data_dir).sign(body, ttl_seconds=ACCESS_TOKEN_SECONDS)
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
        "scope": scopes,
    }


async def _client_key(runtime: Runtime, client_id: str) -> Any:
    if not (len(client_id) == 9 and client_id.isdigit()):
        raise OAuthError(
            "invalid_client",
            "in Postbud's sandbox the client_id (the assertion's iss) is a registered sender's "
            "organisation number",
        )
    try:
        sender = await find_sender(client_id, runtime)
    except NotFound:
        raise OAuthError(
            "invalid_client", f"no sender with organisation number {client_id} is registered"
        ) from None
    if not sender.certificate_pem:
        raise OAuthError(
            "invalid_client",
            f"sender {client_id} has no certificate: register one (postbud senders add --certificate, or "
            "--generate-key) and sign the assertion with its key",
        )
    try:
        return load_public_key(sender.certificate_pem.encode())
    except KeyLoadError as exc:
        raise OAuthError("invalid_client", f"sender {client_id}'s certificate is unusable: {exc}") from exc


def _verified(assertion: str, key: Any, public_url: str) -> dict[str, Any]:
    issuer = maskinporten_issuer(public_url)
    audiences = [*MASKINPORTEN_AUDIENCES, issuer, issuer + TOKEN_PATH]
    try:
        claims: dict[str, Any] = jwt.decode(
            assertion,
            key,
            algorithms=[ALGORITHM],
            audience=audiences,
            options={"require": ["iss", "aud", "exp", "iat"]},
        )
    except jwt.InvalidSignatureError as exc:
        raise OAuthError(
            "invalid_grant", "the assertion's signature does not match the client's certificate"
        ) from exc
    except jwt.ExpiredSignatureError as exc:
        raise OAuthError("invalid_grant", "the assertion has expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise OAuthError(
            "invalid_grant", f"the assertion's aud must be {issuer} (or Maskinporten's)"
        ) from exc
    except jwt.PyJWTError as exc:
        raise OAuthError("invalid_grant", f"the assertion is invalid ({exc})") from exc
    if (
        float(claims["exp"]) - float(claims["iat"]) > MAX_ASSERTION_SECONDS
        or float(claims["iat"]) > time.time() + 10
    ):
        raise OAuthError("invalid_grant", f"the assertion may live at most {MAX_ASSERTION_SECONDS} seconds")
    return claims


async def _granted(runtime: Runtime, client_id: str, asked: str) -> str:
    if not asked:
        raise OAuthError("invalid_scope", "name the scopes in the assertion's scope claim")
    found = await sender_by_organisation(runtime, "altinn", client_id)
    if found is not None:
        missing = [scope for scope in asked.split() if scope not in found[1]]
        if missing:
            raise OAuthError("invalid_scope", f"the client is not granted {' '.join(missing)}")
    return asked
