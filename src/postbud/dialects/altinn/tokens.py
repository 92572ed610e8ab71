"""The tokens Altinn clients carry, as Postbud's sandbox issuer mints them.

Two issuers, both signed with the data folder's token key (``postbud.services.sandbox.token_issuer``):

- the Altinn issuer, ``{public URL}/authentication/api/v1/openid/`` — what Altinn Authentication's
  token exchange hands out, and what the Correspondence API takes;
- a Maskinporten-style issuer, ``{public URL}/maskinporten/`` — what a client gets from Maskinporten
  before it exchanges it at ``GET /authentication/api/v1/exchange/maskinporten``.

The claims are the ones the real tokens carry and Altinn reads: ``scope`` (space separated),
``urn:altinn:orgNumber`` and ``consumer`` (``0192:ORGNR``) for an organisation, ``pid`` for a person,
``urn:altinn:authlevel``, ``urn:altinn:authenticatemethod``, ``client_id``, ``token_type``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Final

from postbud.services.sandbox.token_issuer import TokenIssuer

ALTINN_ISSUER_PATH: Final = "/authentication/api/v1/openid/"
MASKINPORTEN_ISSUER_PATH: Final = "/maskinporten/"
SENDER_SCOPE: Final = "altinn:correspondence.write"
RECIPIENT_SCOPE: Final = "altinn:correspondence.read"
SERVICE_OWNER_SCOPE: Final = "altinn:serviceowner"
ORGANISATION_AUTHORITY: Final = "iso6523-actorid-upis"
NORWEGIAN_ORGANISATION_PREFIX: Final = "0192:"
DEFAULT_TTL_SECONDS: Final = 30 * 60
"""Altinn's exchanged tokens live 30 minutes."""


class IssuerKind(StrEnum):
    ALTINN = "altinn"
    MASKINPORTEN = "maskinporten"


def altinn_issuer(public_url: str) -> str:
    return public_url.rstrip("/") + ALTINN_ISSUER_PATH


def maskinporten_issuer(public_url: str) -> str:
    return public_url.rstrip("/") + MASKINPORTEN_ISSUER_PATH


def sandbox_issuers(public_url: str) -> dict[str, IssuerKind]:
    """The issuer names the sandbox signs with, and what each stands for."""
    return {
        altinn_issuer(public_url): IssuerKind.ALTINN,
        maskinporten_issuer(public_url): IssuerKind.MASKINPORTEN,
    }


def scope_claim(scopes: Iterable[str]) -> str:
    """One space-separated ``scope`` claim; ``--scope "a b"`` and ``--scope a --scope b`` alike."""
    found: list[str] = []
    for given in scopes:
        for scope in given.split():
            if scope not in found:
                found.append(scope)
    return " ".join(found)


def organisation_claims(
    organisation_number: str, scopes: Iterable[str], *, kind: IssuerKind, client_id: str | None = None
) -> dict[str, Any]:
    consumer = {
        "authority": ORGANISATION_AUTHORITY,
        "ID": NORWEGIAN_ORGANISATION_PREFIX + organisation_number,
    }
    claims: dict[str, Any] = {
        "scope": scope_claim(scopes),
        "token_type": "Bearer",
        "client_id": client_id or f"postbud-sandbox-{organisation_number}",
        "consumer": consumer,
    }
    if kind is IssuerKind.MASKINPORTEN:
        claims["client_amr"] = "private_key_jwt"
    else:
        claims["urn:altinn:orgNumber"] = organisation_number
        claims["urn:altinn:authenticatemethod"] = "maskinporten"
        claims["urn:altinn:authlevel"] = 3
    return claims


def person_claims(
    national_identity_number: str, scopes: Iterable[str], *, auth_level: int = 3
) -> dict[str, Any]:
    return {
        "scope": scope_claim(scopes),
        "token_type": "Bearer",
        "client_id": "postbud-sandbox",
        "pid": national_identity_number,
        "urn:altinn:authenticatemethod": "IdportenTestId",
        "urn:altinn:authlevel": auth_level,
    }


def mint_organisation_token(
    issuer: TokenIssuer,
    public_url: str,
    organisation_number: str,
    scopes: Iterable[str],
    *,
    kind: IssuerKind = IssuerKind.ALTINN,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    now: float | None = None,
) -> str:
    """An organisation's token: Altinn's (default) or a Maskinporten-style one to exchange."""
    iss = altinn_issuer(public_url) if kind is IssuerKind.ALTINN else maskinporten_issuer(public_url)
    claims = {"iss": iss, **organisation_claims(organisation_number, scopes, kind=kind)}
    return issuer.sign(claims, ttl_seconds=ttl_seconds, now=now)


def mint_person_token(
    issuer: TokenIssuer,
    public_url: str,
    national_identity_number: str,
    scopes: Iterable[str],
    *,
    auth_level: int = 3,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    now: float | None = None,
) -> str:
    """A person's Altinn token (what an ID-porten login exchanged at Altinn gives)."""
    claims = {
        "iss": altinn_issuer(public_url),
        **person_claims(national_identity_number, scopes, auth_level=auth_level),
    }
    return issuer.sign(claims, ttl_seconds=ttl_seconds, now=now)


def exchanged_claims(maskinporten: dict[str, Any], public_url: str) -> dict[str, Any]:
    """The Altinn token's claims for a verified Maskinporten token: same consumer and scopes."""
    consumer = maskinporten.get("consumer")
    identifier = consumer.get("ID") if isinstance(consumer, dict) else None
    if not isinstance(identifier, str) or not identifier:
        raise ValueError("the Maskinporten token has no consumer organisation")
    organisation_number = identifier.split(":", 1)[-1]
    claims = organisation_claims(
        organisation_number,
        [str(maskinporten.get("scope", ""))],
        kind=IssuerKind.ALTINN,
        client_id=str(maskinporten.get("client_id") or "") or None,
    )
    claims["consumer"] = consumer
    return {"iss": altinn_issuer(public_url), **claims}
