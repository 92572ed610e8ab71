"""``postbud senders add|list``: register senders and hand out their credentials."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from postbud.cli.options import (
    DatabaseUrl,
    DataDir,
    Json,
    console,
    fail,
    make_settings,
    print_json,
    with_runtime,
)

if TYPE_CHECKING:
    from postbud.domain.sender_credentials import SenderCredential
    from postbud.services.parties.senders import SenderCredentials
    from postbud.services.runtime import Runtime

app = typer.Typer(help="Organisations that send letters, and their credentials.", no_args_is_help=True)


def _write_key_files(credentials: SenderCredentials, key_file: Path) -> Path:
    """Private key (0600) at ``key_file``, certificate beside it as ``<name>.cert.pem``."""
    assert credentials.private_key_pem is not None
    assert credentials.sender.certificate_pem is not None
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.touch(mode=0o600)
    key_file.write_text(credentials.private_key_pem)
    cert_file = key_file.with_name(key_file.name.removesuffix(".pem") + ".cert.pem")
    cert_file.write_text(credentials.sender.certificate_pem)
    return cert_file


@app.command("add")
def add(
    name: Annotated[str, typer.Option("--name", help="The organisation's name.")],
    orgnr: Annotated[
        str,
        typer.Option(
            "--orgnr",
            help="Norwegian organisasjonsnummer (9 digits, MOD11) or Swedish organisationsnummer "
            "(10 digits, Luhn).",
        ),
    ],
    digipost_id: Annotated[
        int | None,
        typer.Option("--digipost-id", help="Broker id for the Digipost API; next free one if left out."),
    ] = None,
    certificate: Annotated[
        Path | None,
        typer.Option(
            "--certificate", help="The sender's X.509 certificate (PEM).", exists=True, dir_okay=False
        ),
    ] = None,
    generate_key: Annotated[
        Path | None,
        typer.Option(
            "--generate-key", help="Mint an RSA key here (and KEY.cert.pem beside it).", dir_okay=False
        ),
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Register a sender and issue its API key (printed once)."""
    from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
    from postbud.platform_api.models import SenderOut
    from postbud.services.parties.senders import RegisterSender, register_sender

    if certificate is not None and generate_key is not None:
        fail(
            ValidationFailed(
                FieldError("certificate", "use --certificate or --generate-key, not both", RuleCode.INVALID)
            ),
            json_out,
        )
    if generate_key is not None and generate_key.exists():
        fail(
            ValidationFailed(
                FieldError("generate_key", f"{generate_key} exists; choose a new path", RuleCode.INVALID)
            ),
            json_out,
        )
    command = RegisterSender(
        name=name,
        organisation_number=orgnr,
        digipost_id=digipost_id,
        certificate_pem=certificate.read_text() if certificate else None,
        generate_key=generate_key is not None,
        api_key_label="cli",
    )

    async def use(runtime: Runtime) -> SenderCredentials:
        return await register_sender(command, runtime)

    credentials = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    cert_file = _write_key_files(credentials, generate_key) if generate_key is not None else None
    result = {
        "sender": SenderOut.of(credentials.sender).model_dump(mode="json"),
        "api_key": credentials.api_key,
        "private_key_file": str(generate_key.resolve()) if generate_key else None,
        "certificate_file": str(cert_file.resolve()) if cert_file else None,
    }
    if json_out:
        print_json(result)
        return
    out = console()
    sender = credentials.sender
    out.print(f"[bold green]Registered[/] {sender.name} (orgnr {sender.organisation_number})")
    out.print(f"  sender id    {sender.id}")
    out.print(f"  digipost id  {sender.digipost_id}")
    out.print(f"  API key      [bold]{credentials.api_key}[/]  (shown once; keep it safe)")
    if generate_key is not None:
        out.print(f"  private key  {result['private_key_file']}")
        out.print(f"  certificate  {result['certificate_file']}")


@app.command("list")
def list_(data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False) -> None:
    """List the registered senders."""
    from rich.table import Table

    from postbud.platform_api.models import SenderOut
    from postbud.services.parties.senders import list_senders

    senders = with_runtime(make_settings(data_dir, database_url), list_senders, json_mode=json_out)
    if json_out:
        print_json([SenderOut.of(s).model_dump(mode="json") for s in senders])
        return
    table = Table("Name", "Orgnr", "Digipost id", "Certificate", "Id", title=f"{len(senders)} senders")
    for s in senders:
        table.add_row(
            s.name,
            s.organisation_number,
            str(s.digipost_id or ""),
            "yes" if s.certificate_pem else "",
            str(s.id),
        )
    console().print(table)


SenderRef = Annotated[str, typer.Option("--sender", help="Sender id, orgnr or digipost id.")]


def credential_json(credential: SenderCredential) -> dict[str, Any]:
    """A credential without its secret (only its hash is stored anyway)."""
    return {
        "id": str(credential.id),
        "sender_id": str(credential.sender_id),
        "dialect": credential.dialect,
        "kind": credential.kind.value,
        "identifier": credential.identifier,
        "scopes": list(credential.scopes),
        "has_certificate": credential.certificate_pem is not None,
        "created_at": credential.created_at.isoformat(),
        "revoked_at": credential.revoked_at.isoformat() if credential.revoked_at else None,
    }


@app.command("credentials")
def credentials(
    sender: SenderRef,
    include_revoked: Annotated[bool, typer.Option("--all", help="Revoked ones too.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """A sender's credentials in each dialect (never the secrets)."""
    from postbud.services.parties.credentials import list_credentials
    from postbud.services.parties.senders import find_sender

    async def use(runtime: Runtime) -> list[SenderCredential]:
        found = await find_sender(sender, runtime)
        return await list_credentials(runtime, found.id, include_revoked=include_revoked)

    found = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json([credential_json(c) for c in found])
        return
    from rich.table import Table

    table = Table(
        "Dialect", "Kind", "Identifier", "Created", "Revoked", "Id", title=f"{len(found)} credentials"
    )
    for c in found:
        revoked = c.revoked_at.strftime("%Y-%m-%d %H:%M") if c.revoked_at else ""
        identifier = c.identifier if c.kind.value != "api_key" else c.identifier[:12] + "…"
        table.add_row(
            c.dialect, c.kind.value, identifier, c.created_at.strftime("%Y-%m-%d %H:%M"), revoked, str(c.id)
        )
    console().print(table)


@app.command("basic-login")
def basic_login(
    sender: SenderRef,
    dialect: Annotated[str, typer.Option("--dialect", help="The dialect it is for.")] = "ekopost",
    user: Annotated[
        str | None, typer.Option("--user", help="User name; the sender's organisation number if left out.")
    ] = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input; else one is made."),
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Set a sender's HTTP Basic login for a dialect (replacing the one with that user name)."""
    import sys

    from postbud.services.parties.credentials import set_basic_login
    from postbud.services.parties.senders import find_sender

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None

    async def use(runtime: Runtime) -> tuple[SenderCredential, str]:
        found = await find_sender(sender, runtime)
        return await set_basic_login(runtime, found.id, dialect, password=password, user=user)

    credential, secret = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(
            {"credential": credential_json(credential), "user": credential.identifier, "password": secret}
        )
        return
    out = console()
    out.print(f"[bold green]Basic login[/] for {credential.dialect}")
    out.print(f"  user      {credential.identifier}")
    if not password_stdin:
        out.print(f"  password  [bold]{secret}[/]  (shown once; keep it safe)")


@app.command("revoke-credential")
def revoke_credential(
    credential_id: uuid.UUID,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Revoke one credential; its dialect no longer accepts it."""
    from postbud.services.parties.credentials import revoke_credential as run_revoke

    async def use(runtime: Runtime) -> SenderCredential:
        return await run_revoke(runtime, credential_id)

    credential = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(credential_json(credential))
    else:
        console().print(f"Revoked {credential.dialect} {credential.kind.value} {credential.identifier}")


@app.command("certificate")
def replace_certificate(
    sender: SenderRef,
    certificate: Annotated[
        Path,
        typer.Option("--certificate", help="The new X.509 certificate (PEM).", exists=True, dir_okay=False),
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Rotate the certificate a Digipost sender signs with (the old one is revoked)."""
    from postbud.services.parties.credentials import replace_digipost_certificate
    from postbud.services.parties.senders import find_sender

    pem = certificate.read_text()

    async def use(runtime: Runtime) -> SenderCredential:
        found = await find_sender(sender, runtime)
        return await replace_digipost_certificate(runtime, found.id, pem)

    credential = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(credential_json(credential))
    else:
        console().print(f"Digipost sender {credential.identifier} now signs with the new certificate")


@app.command("limits")
def print_limits(
    sender: SenderRef,
    letters_per_month: Annotated[
        int | None, typer.Option("--letters-per-month", help="Letters a month (Ekopost 113 past it).")
    ] = None,
    no_monthly_limit: Annotated[bool, typer.Option("--no-monthly-limit", help="No monthly limit.")] = False,
    large_documents_per_day: Annotated[
        int | None,
        typer.Option("--large-documents-per-day", help="Large documents a day (Ekopost 143 past it)."),
    ] = None,
    no_daily_limit: Annotated[bool, typer.Option("--no-daily-limit", help="No daily limit.")] = False,
    large_document_bytes: Annotated[
        int | None, typer.Option("--large-document-bytes", help="Larger than this is large (8 MiB).")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Show or change a sender's print quotas, checked when each of its batches (campaigns) closes."""
    from dataclasses import asdict, replace

    from postbud.domain.print_limits import PrintLimits
    from postbud.services.parties.senders import find_sender
    from postbud.services.print_line.limits import print_limits_of, set_print_limits

    async def use(runtime: Runtime) -> PrintLimits:
        found = await find_sender(sender, runtime)
        limits = await print_limits_of(runtime, found.id)
        changed = replace(
            limits,
            letters_per_month=None
            if no_monthly_limit
            else (letters_per_month if letters_per_month is not None else limits.letters_per_month),
            large_documents_per_day=None
            if no_daily_limit
            else (
                large_documents_per_day
                if large_documents_per_day is not None
                else limits.large_documents_per_day
            ),
            large_document_bytes=large_document_bytes or limits.large_document_bytes,
        )
        if changed == limits:
            return limits
        return await set_print_limits(runtime, found.id, changed)

    limits = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(asdict(limits))
        return
    out = console()
    monthly, daily = limits.letters_per_month, limits.large_documents_per_day
    out.print(f"letters per month        {'no limit' if monthly is None else monthly}")
    out.print(f"large documents per day  {'no limit' if daily is None else daily}")
    out.print(f"large means over         {limits.large_document_bytes:,} bytes")
