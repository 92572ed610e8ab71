"""``postbud senders add|list``: register senders and hand out their credentials."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    orgnr: Annotated[str, typer.Option("--orgnr", help="Organisasjonsnummer (9 digits, MOD11).")],
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
    from postbud.domain.errors import FieldError, ValidationFailed
    from postbud.platform_api.models import SenderOut
    from postbud.services.parties.senders import RegisterSender, register_sender

    if certificate is not None and generate_key is not None:
        fail(
            ValidationFailed(FieldError("certificate", "use --certificate or --generate-key, not both")),
            json_out,
        )
    if generate_key is not None and generate_key.exists():
        fail(
            ValidationFailed(FieldError("generate_key", f"{generate_key} exists; choose a new path")),
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
