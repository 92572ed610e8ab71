"""``postbud token``: mint a bearer token from the sandbox issuer (the data folder's signing key).

    postbud token --org 974761076 --scope altinn:correspondence.write     # a sender (service owner)
    postbud token --org 991825827 --scope altinn:correspondence.read      # an organisation's system
    postbud token --person 15108695088 --scope altinn:correspondence.read # a person
    postbud token --maskinporten --org 974761076 --scope "altinn:correspondence.write altinn:serviceowner"

prints the token alone on standard output (``--json`` for the token with its claims and expiry).
The issuer named in the token is built from the server's public URL: mint with the same
``--public-url`` / ``POSTBUD_PUBLIC_URL`` (or host and port) as ``postbud serve`` uses.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

import typer

from postbud.cli.options import DataDir, Json, make_settings, print_json

_MAX_TTL_SECONDS = 366 * 24 * 3600


def token(
    org: Annotated[
        str | None,
        typer.Option(
            "--org", help="The organisation's number (9 digits, MOD11; 0192: or urn: prefix allowed)."
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person", help="The person's national identity number (11 digits; Tenor test numbers too)."
        ),
    ] = None,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help="A scope, e.g. altinn:correspondence.write or altinn:correspondence.read "
            "(repeatable, or several separated by spaces).",
        ),
    ] = None,
    ttl: Annotated[
        int, typer.Option("--ttl", min=1, max=_MAX_TTL_SECONDS, help="Lifetime in seconds.")
    ] = 1800,
    maskinporten: Annotated[
        bool,
        typer.Option(
            "--maskinporten",
            help="A Maskinporten-style token (for GET /authentication/api/v1/exchange/maskinporten) "
            "instead of an Altinn token; organisations only.",
        ),
    ] = False,
    auth_level: Annotated[
        int, typer.Option("--auth-level", min=0, max=4, help="A person's authentication level.")
    ] = 3,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            envvar="POSTBUD_PUBLIC_URL",
            help="The base URL the server is reached on (names the issuer); defaults to http://host:port.",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
    json_out: Json = False,
) -> None:
    """Mint an Altinn bearer token (or a Maskinporten-style one to exchange) from the sandbox issuer."""
    from postbud.dialects.altinn.tokens import (
        IssuerKind,
        mint_organisation_token,
        mint_person_token,
        scope_claim,
    )
    from postbud.domain.identifiers.errors import InvalidIdentifier
    from postbud.domain.identifiers.norway import fodselsnummer, organisasjonsnummer
    from postbud.services.sandbox.token_issuer import token_issuer

    if (org is None) == (person is None):
        raise typer.BadParameter("name exactly one of --org and --person", param_hint="--org / --person")
    scopes = scope_claim(scope or [])
    if not scopes:
        raise typer.BadParameter(
            "name at least one scope, e.g. altinn:correspondence.read", param_hint="--scope"
        )
    if maskinporten and person is not None:
        raise typer.BadParameter(
            "Maskinporten tokens are for organisations: use --org", param_hint="--maskinporten"
        )
    settings = make_settings(data_dir, None, public_url=public_url)
    issuer = token_issuer(settings.ensure_data_dir())
    url = settings.resolved_public_url
    now = time.time()
    try:
        if org is not None:
            subject = {"org": organisasjonsnummer(org.rsplit(":", 1)[-1])}
            kind = IssuerKind.MASKINPORTEN if maskinporten else IssuerKind.ALTINN
            minted = mint_organisation_token(
                issuer, url, subject["org"], [scopes], kind=kind, ttl_seconds=ttl, now=now
            )
        else:
            assert person is not None
            subject = {"person": fodselsnummer(person.rsplit(":", 1)[-1], allow_synthetic=True)}
            minted = mint_person_token(
                issuer, url, subject["person"], [scopes], auth_level=auth_level, ttl_seconds=ttl, now=now
            )
    except InvalidIdentifier as exc:
        raise typer.BadParameter(str(exc), param_hint="--org" if org is not None else "--person") from exc
    if not json_out:
        typer.echo(minted)
        return
    import jwt

    claims = jwt.decode(minted, options={"verify_signature": False})
    print_json(
        {
            "token": minted,
            "token_type": "Bearer",
            "expires_in": ttl,
            "expires_at": datetime.fromtimestamp(claims["exp"], UTC).isoformat(),
            "issuer": claims["iss"],
            "kid": issuer.key.kid,
            "scope": claims["scope"],
            **subject,
            "claims": claims,
        }
    )
