"""Altinn Authentication's paths that clients call, at the host root, for Postbud's own issuer.

- ``GET /authentication/api/v1/openid/.well-known/openid-configuration`` and its ``jwks_uri``
  ``…/openid-configuration/jwks``: where Altinn publishes the keys its tokens are signed with (the
  same paths as ``platform.altinn.no``), so a resource server can verify Postbud's tokens as it
  verifies Altinn's;
- ``GET /maskinporten/.well-known/oauth-authorization-server`` and ``/maskinporten/jwk``: the same
  for the Maskinporten-style issuer, and ``POST /maskinporten/token``, its token endpoint
  (``tokens_maskinporten``);
- ``GET /authentication/api/v1/exchange/maskinporten``: a Maskinporten token (Postbud's
  Maskinporten-style one, ``postbud token --maskinporten``, or one of a configured Maskinporten
  issuer) in ``Authorization: Bearer`` → an Altinn token for the same organisation and scopes. The
  token is the body: plain text, or a JSON string when the request's Accept asks for JSON (as
  ASP.NET negotiates it; Altinn's k6 tests send ``Accept: application/json``, its Bruno collection
  sends none). Anything else in the bearer header is 401, as Altinn answers it.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from postbud.dialects.altinn.auth import AltinnAuthError, verify_bearer
from postbud.dialects.altinn.tokens import (
    ALTINN_ISSUER_PATH,
    DEFAULT_TTL_SECONDS,
    MASKINPORTEN_ISSUER_PATH,
    IssuerKind,
    altinn_issuer,
    exchanged_claims,
    maskinporten_issuer,
)
from postbud.dialects.altinn.tokens_maskinporten import JWT_BEARER, TOKEN_PATH, OAuthError, grant
from postbud.plugins.protocol import RuntimeOf
from postbud.services.sandbox.token_issuer import token_issuer

OPENID_CONFIGURATION: Final = ALTINN_ISSUER_PATH + ".well-known/openid-configuration"
ALTINN_JWKS: Final = OPENID_CONFIGURATION + "/jwks"
MASKINPORTEN_METADATA: Final = MASKINPORTEN_ISSUER_PATH + ".well-known/oauth-authorization-server"
MASKINPORTEN_JWKS: Final = MASKINPORTEN_ISSUER_PATH + "jwk"
MASKINPORTEN_TOKEN: Final = MASKINPORTEN_ISSUER_PATH + TOKEN_PATH
EXCHANGE_MASKINPORTEN: Final = "/authentication/api/v1/exchange/maskinporten"


def token_routes(runtime_of: RuntimeOf) -> list[BaseRoute]:
    def public_url() -> str:
        return runtime_of().settings.resolved_public_url

    def jwks() -> dict[str, Any]:
        return token_issuer(runtime_of().settings.resolved_data_dir).jwks()

    async def openid_configuration(request: Request) -> Response:
        url = public_url()
        return JSONResponse(
            {
                "issuer": altinn_issuer(url),
                "jwks_uri": url + ALTINN_JWKS,
                "response_types_supported": ["token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [],
            }
        )

    async def maskinporten_metadata(request: Request) -> Response:
        url = public_url()
        return JSONResponse(
            {
                "issuer": maskinporten_issuer(url),
                "jwks_uri": url + MASKINPORTEN_JWKS,
                "token_endpoint": url + MASKINPORTEN_TOKEN,
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
                "grant_types_supported": [JWT_BEARER],
            }
        )

    async def keys(request: Request) -> Response:
        return JSONResponse(jwks())

    async def exchange_maskinporten(request: Request) -> Response:
        runtime = runtime_of()
        try:
            verified = await verify_bearer(request, runtime)
            if verified.kind is not IssuerKind.MASKINPORTEN:
                raise AltinnAuthError(
                    401,
                    "The exchange takes a Maskinporten token; this is an Altinn token already "
                    "(mint one to exchange with: postbud token --maskinporten --org ORGNR --scope …)",
                    www_authenticate='Bearer error="invalid_token"',
                )
            try:
                claims = exchanged_claims(verified.claims, public_url())
            except ValueError as exc:
                raise AltinnAuthError(401, f"The Maskinporten token cannot be exchanged: {exc}") from exc
        except AltinnAuthError as exc:
            return exc.response()
        token = token_issuer(runtime.settings.resolved_data_dir).sign(claims, ttl_seconds=DEFAULT_TTL_SECONDS)
        if _wants_json(request.headers.get("accept", "")):
            return JSONResponse(token)
        return PlainTextResponse(token)

    async def maskinporten_token(request: Request) -> Response:
        try:
            form = await request.form()
            fields = {key: value for key, value in form.items() if isinstance(value, str)}
            return JSONResponse(await grant(runtime_of(), fields))
        except OAuthError as exc:
            return JSONResponse(exc.body(), status_code=400)
        except (ValueError, MultiPartException):
            error = OAuthError("invalid_request", "send the grant as application/x-www-form-urlencoded")
            return JSONResponse(error.body(), status_code=400)

    return [
        Route(MASKINPORTEN_TOKEN, maskinporten_token, methods=["POST"]),
        Route(OPENID_CONFIGURATION, openid_configuration, methods=["GET"]),
        Route(ALTINN_JWKS, keys, methods=["GET"]),
        Route(MASKINPORTEN_METADATA, maskinporten_metadata, methods=["GET"]),
        Route(MASKINPORTEN_JWKS, keys, methods=["GET"]),
        Route(EXCHANGE_MASKINPORTEN, exchange_maskinporten, methods=["GET"]),
    ]


def _wants_json(accept: str) -> bool:
    """ASP.NET writes a string as text unless the Accept header names JSON (and not text/plain)."""
    media = [part.split(";", 1)[0].strip().lower() for part in accept.split(",")]
    return any(m in ("application/json", "text/json") or m.endswith("+json") for m in media) and (
        "text/plain" not in media
    )
