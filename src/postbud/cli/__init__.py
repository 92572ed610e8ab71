"""The ``postbud`` command: run the server and workers, and manage data from scripts.

Every command creates and migrates a missing data folder first, and works while ``postbud
serve`` runs on the same folder. ``--json`` prints machine-readable JSON only.
"""

from __future__ import annotations

import typer

from postbud.cli import (
    clock,
    db,
    recipients,
    reset,
    resources,
    seed,
    senders,
    serve,
    shipments,
    token,
    webhooks,
    worker,
)

app = typer.Typer(
    name="postbud",
    help="Postbud: a self-hostable digital post office (Digipost, Ekopost and Altinn dialects).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.command("migrate")(db.migrate)
app.command("seed")(seed.seed)
app.command("token")(token.token)
app.command("reset")(reset.reset)
app.add_typer(senders.app, name="senders")
app.add_typer(recipients.app, name="recipients")
app.add_typer(shipments.app, name="shipments")
app.add_typer(webhooks.app, name="webhooks")
app.add_typer(resources.app, name="resources")
app.add_typer(clock.app, name="clock")


def main() -> None:
    app()
