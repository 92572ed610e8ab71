"""Who is calling the Altinn dialect: the first gate of reference §10.2, before any handler runs.

Contract for the endpoints::

    caller = await authenticate(request, runtime, Policy.SENDER)        # C1, C2, A1–A6
    caller = await authenticate(request, runtime, Policy.RECIPIENT)     # C6, C7, C11, H1
    caller = await authenticate(request, runtime, Policy.SENDER_OR_RECIPIENT)  # C3, C4, C5, C8
    # C9/C10 (download) take Policy.RECIPIENT here.

It returns an ``AltinnCaller`` or raises ``AltinnAuthError``, whose ``response()`` is the answer to
send as is (catch it beside ``AltinnError``). What it decides:

- no ``Authorization: Bearer …`` header, or a token that fails verification (malformed, not RS256,
  untrusted issuer, unknown key, bad signature, expired, not yet valid — ``tokens_verify``)
  ⇒ **401** with ``WWW-Authenticate: Bearer error="invalid_token", error_description="…"`` as
  ASP.NET's JWT bearer handler answers, and a ProblemDetails body saying why;
- a valid Maskinporten token where only Altinn tokens are taken (the Recipient policy)
  ⇒ **403** ProblemDetails titled "IDX10205: Issuer validation failed", as Altinn answers;
- a valid token whose scopes the policy does not accept ⇒ **403** (Altinn: no body; here a
  ProblemDetails naming the scope that was needed):
    Sender: an Altinn token with ``altinn:correspondence.write``, or a Maskinporten token with both
    ``altinn:serviceowner`` and ``altinn:correspondence.write``;
    Recipient: an Altinn token with ``altinn:correspondence.read``;
    SenderOrRecipient: either, or a Maskinporten token with ``altinn:correspondence.read``;
- a valid token naming neither an organisation nor a person ⇒ **401** ``CORR-04006`` "Could not
  determine caller".

What it does not decide: whether the caller may act on a resource or a correspondence (the second
gate, §10.3: the resource's owner for senders, the correspondence's recipient for recipients) —
that is the handler's, with ``caller.organisation_number`` / ``caller.party``.

Tokens are Postbud's own (``postbud token``, the exchange at ``/authentication/api/v1/exchange/
maskinporten``) or from an issuer configured in ``POSTBUD_ALTINN_TRUSTED_ISSUERS``
(``tokens_settings``). For tests, ``mint_organisation_token``/``mint_person_token`` in ``tokens``
with ``token_issuer(settings.resolved_data_dir)`` mint tokens this accepts.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.altinn.tokens import (
    RECIPIENT_SCOPE,
    SENDER_SCOPE,
    SERVICE_OWNER_SCOPE,
    IssuerKind,
    sandbox_issuers,
)
from postbud.dialects.altinn.tokens_settings import AltinnTokenSettings
from postbud.dialects.altinn.tokens_verify import TokenRejected, TokenVerifier, VerifiedToken
from postbud.http.problem_details import ProblemDetails
from postbud.services.runtime import Runtime
from postbud.services.sandbox.token_issuer import token_issuer

PERSON_URN_PREFIX: Final = "urn:altinn:person:identifier-no:"
ORGANISATION_URN_PREFIX: Final = "urn:altinn:organization:identifier-no:"
_MASKINPORTEN_REFUSED: Final = (
    "Maskinporten token is not valid. Exchange to Altinn token and try again. Read more at "
    "https://docs.altinn.studio/api/scenarios/authentication/#maskinporten-jwt-access-token-input"
)
_TYPES: Final[Mapping[int, tuple[str, str]]] = {
    401: ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
    403: ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"),
}


class Policy(Enum):
    SENDER = "Sender"
    RECIPIENT = "Recipient"
    SENDER_OR_RECIPIENT = "SenderOrRecipient"


@dataclass(frozen=True, slots=True)
class AltinnCaller:
    """The verified caller. ``party`` is whom the caller is: a person (``pid``) before an organisation."""

    organisation_number: str | None
    """From ``authorization_details`` (a system user's organisation), ``urn:altinn:orgNumber`` or
    ``consumer`` (``0192:ORGNR``), in that order, as Altinn reads it; without the ``0192:``."""
    person_id: str | None
    """The national identity number in ``pid`` (a person's token)."""
    scopes: frozenset[str]
    issuer: str
    issuer_kind: IssuerKind
    claims: Mapping[str, Any] = field(repr=False)

    @property
    def acting_as_sender(self) -> bool:
        """Calls carrying ``altinn:correspondence.write`` act as the sender (no Fetched, sender purge)."""
        return SENDER_SCOPE in self.scopes

    @property
    def acting_as_recipient(self) -> bool:
        return RECIPIENT_SCOPE in self.scopes

    @property
    def is_service_owner(self) -> bool:
        """``altinn:serviceowner``: Altinn lets a resource's owner through the second gate on this."""
        return SERVICE_OWNER_SCOPE in self.scopes

    @property
    def party(self) -> str:
        """The person's national identity number, else the organisation number."""
        party = self.person_id or self.organisation_number
        assert party is not None  # authenticate refuses a token naming neither
        return party

    @property
    def party_urn(self) -> str:
        if self.person_id is not None:
            return PERSON_URN_PREFIX + self.person_id
        return ORGANISATION_URN_PREFIX + self.party


@dataclass(slots=True)
class AltinnAuthError(Exception):
    status: int
    detail: str
    title: str | None = None
    """Left out: the status's title ("Unauthorized", "Forbidden")."""
    www_authenticate: str | None = None
    number: int | None = None
    """A catalogue number (4006), for ``code``/``errorCode``; none for the framework's refusals."""

    def response(self) -> Response:
        kind, status_title = _TYPES[self.status]
        extensions: dict[str, Any] = {
            "traceId": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00",
        }
        if self.number is not None:
            extensions = {
                "code": f"CORR-{self.number:05d}",
                **extensions,
                "statusDescription": status_title,
                "errorCode": self.number,
            }
        problem = ProblemDetails(
            self.status, self.title or status_title, kind, self.detail, extensions=extensions
        )
        headers = {"WWW-Authenticate": self.www_authenticate} if self.www_authenticate else None
        return problem.response(headers)


def _unauthenticated(detail: str, *, error_description: str | None = None) -> AltinnAuthError:
    challenge = "Bearer"
    if error_description is not None:
        quoted = error_description.replace("\\", "\\\\").replace('"', '\\"')
        challenge = f'Bearer error="invalid_token", error_description="{quoted}"'
    return AltinnAuthError(401, detail, www_authenticate=challenge)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthenticated(
            "No bearer token: send 'Authorization: Bearer <token>' with an Altinn token "
            "(postbud token --org ORGNR --scope altinn:correspondence.write)"
        )
    return token.strip()


@cache
def _verifier(data_dir: Path, public_url: str) -> TokenVerifier:
    settings = AltinnTokenSettings()
    return TokenVerifier(
        token_issuer(data_dir),
        sandbox_issuers(public_url),
        settings.trusted_issuers,
        jwks_cache_seconds=settings.jwks_cache_seconds,
    )


def verifier_for(runtime: Runtime) -> TokenVerifier:
    """The verifier of this data folder's own issuer and the configured ones (one per process)."""
    settings = runtime.settings
    return _verifier(settings.resolved_data_dir, settings.resolved_public_url)


async def verify_bearer(request: Request, runtime: Runtime) -> VerifiedToken:
    """The request's bearer token, verified (401 ``AltinnAuthError`` when missing or not valid)."""
    token = bearer_token(request)
    try:
        return await verifier_for(runtime).verify(token)
    except TokenRejected as exc:
        raise _unauthenticated(
            f"The bearer token is not valid: {exc.reason}", error_description=exc.reason
        ) from exc


async def authenticate(request: Request, runtime: Runtime, policy: Policy) -> AltinnCaller:
    """The caller, if its token is valid and ``policy`` accepts it; else ``AltinnAuthError``."""
    return caller_for(await verify_bearer(request, runtime), policy)


def caller_for(verified: VerifiedToken, policy: Policy) -> AltinnCaller:
    """The caller of a verified token, if ``policy`` accepts it (403/401 ``AltinnAuthError`` if not)."""
    scopes = frozenset(str(verified.claims.get("scope", "")).split())
    if verified.kind is IssuerKind.MASKINPORTEN and policy is Policy.RECIPIENT:
        raise AltinnAuthError(
            403,
            _MASKINPORTEN_REFUSED,
            title="IDX10205: Issuer validation failed",
            www_authenticate='Bearer error="invalid_token"',
        )
    if not _policy_accepts(policy, verified.kind, scopes):
        raise AltinnAuthError(403, _policy_refusal(policy, verified.kind))
    person_id = _person_id(verified.claims)
    organisation_number = _organisation_number(verified.claims)
    if person_id is None and organisation_number is None:
        raise AltinnAuthError(401, "Could not determine caller", number=4006, www_authenticate="Bearer")
    return AltinnCaller(
        organisation_number, person_id, scopes, verified.issuer, verified.kind, verified.claims
    )


def _is_sender(kind: IssuerKind, scopes: frozenset[str]) -> bool:
    if kind is IssuerKind.MASKINPORTEN:
        return SENDER_SCOPE in scopes and SERVICE_OWNER_SCOPE in scopes
    return SENDER_SCOPE in scopes


def _policy_accepts(policy: Policy, kind: IssuerKind, scopes: frozenset[str]) -> bool:
    if policy is Policy.SENDER:
        return _is_sender(kind, scopes)
    if policy is Policy.RECIPIENT:
        return RECIPIENT_SCOPE in scopes
    return _is_sender(kind, scopes) or RECIPIENT_SCOPE in scopes


def _policy_refusal(policy: Policy, kind: IssuerKind) -> str:
    if policy is Policy.SENDER:
        needed = f"'{SENDER_SCOPE}'"
        if kind is IssuerKind.MASKINPORTEN:
            needed = f"both '{SERVICE_OWNER_SCOPE}' and '{SENDER_SCOPE}' (a Maskinporten token)"
    elif policy is Policy.RECIPIENT:
        needed = f"'{RECIPIENT_SCOPE}'"
    else:
        needed = f"'{SENDER_SCOPE}' or '{RECIPIENT_SCOPE}'"
    return f"The token's scope does not satisfy the {policy.value} policy: it needs {needed}"


def _without_prefix(identifier: str) -> str:
    """``0192:123456789`` and ``urn:…:123456789`` → ``123456789``, as Altinn's ``WithoutPrefix``."""
    return identifier.rsplit(":", 1)[-1].strip()


def _person_id(claims: Mapping[str, Any]) -> str | None:
    pid = claims.get("pid")
    if not isinstance(pid, str):
        return None
    return _without_prefix(pid) or None


def _organisation_number(claims: Mapping[str, Any]) -> str | None:
    system_user = _system_user_organisation(claims.get("authorization_details"))
    if system_user:
        return system_user
    org = claims.get("urn:altinn:orgNumber")
    if isinstance(org, str | int) and str(org).strip():
        return _without_prefix(str(org))
    consumer = claims.get("consumer")
    if isinstance(consumer, str):
        try:
            consumer = json.loads(consumer)
        except ValueError:
            return None
    if isinstance(consumer, dict) and isinstance(consumer.get("ID"), str):
        return _without_prefix(consumer["ID"]) or None
    return None


def _system_user_organisation(details: object) -> str | None:
    """``authorization_details`` of a system user token: ``systemuser_org.ID`` (``0192:ORGNR``)."""
    if isinstance(details, str):
        try:
            details = json.loads(details)
        except ValueError:
            return None
    for entry in details if isinstance(details, list) else [details]:
        if isinstance(entry, dict):
            org = entry.get("systemuser_org")
            if isinstance(org, dict) and isinstance(org.get("ID"), str):
                return _without_prefix(org["ID"]) or None
    return None


def organisation_of(verified: VerifiedToken) -> str | None:
    """The organisation a verified token speaks for (as ``AltinnCaller.organisation_number``)."""
    return _organisation_number(verified.claims)


def person_of(verified: VerifiedToken) -> str | None:
    """The person a verified token speaks for (as ``AltinnCaller.person_id``)."""
    return _person_id(verified.claims)
