"""What ``postbud serve`` prints as it starts: the same facts as the home page at ``/``.

Where to click (home, inbox, console, API docs), each dialect's base URLs, where letters are
kept, the admin token's whereabouts, and in a sandbox its sender's credentials and the sandbox
time. Plain lines (no markup) so a terminal, a log file and a test read the same text.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from postbud.web.home_facts import (
    CONSOLE_PATH,
    INBOX_PATH,
    Deployment,
    admin_token_location,
    request_bins,
    storage_of,
)

if TYPE_CHECKING:
    from postbud.config import Settings
    from postbud.services.sandbox.clock import ClockView
    from postbud.services.sandbox.shown_credentials import ShownCredentials

_WIDTH = 15


def _line(label: str, value: str) -> str:
    return f"  {label:<{_WIDTH}}{value}"


def _ahead(offset: timedelta) -> str:
    days, seconds = offset.days, offset.seconds
    parts = [f"{days} d"] if days else []
    if seconds // 3600:
        parts.append(f"{seconds // 3600} h")
    if (seconds % 3600) // 60:
        parts.append(f"{(seconds % 3600) // 60} min")
    return " ".join(parts) or f"{seconds} s"


def banner_lines(
    settings: Settings,
    deployment: Deployment,
    credentials: ShownCredentials | None,
    clock: ClockView | None,
) -> list[str]:
    url = settings.resolved_public_url
    storage = storage_of(settings)
    mode = "sandbox" if settings.sandbox else "production"
    lines = [
        f"Postbud {deployment.version} ({mode}) on {url}",
        _line("home", f"{url}/"),
        _line("inbox", f"{url}{INBOX_PATH}"),
        _line("console", f"{url}{CONSOLE_PATH}"),
        _line("API docs", f"{url}{deployment.docs_path}  (ReDoc: {url}{deployment.reference_path})"),
    ]
    for door in deployment.doors:
        urls = door.base_urls(url)
        for index, base in enumerate(urls):
            note = "  (its own port, at the root)" if index >= len(door.paths) else ""
            lines.append(_line(door.name if index == 0 else "", base + note))
    if (bins := request_bins(settings)) is not None:
        lines.append(_line("request bins", f"{bins.receive_url}<name>  (seen at {bins.console_url})"))
    lines += [
        _line("database", f"{storage.database} {storage.database_at}"),
        _line("documents", f"{storage.documents} {storage.documents_at}"),
        _line("data folder", str(settings.resolved_data_dir)),
        _line("admin token", admin_token_location(settings)),
    ]
    if credentials is not None:
        lines += [
            _line(
                "sandbox sender", f"{credentials.sender_name} (org. no. {credentials.organisation_number})"
            ),
            _line("", f"Digipost broker id {credentials.digipost_id}, signing key {credentials.key_file}"),
            _line("", f"API key {credentials.api_key}"),
            _line("", f"all in {credentials.file}"),
        ]
    if clock is not None and settings.sandbox:
        moved = (
            f"moved {_ahead(clock.offset)} ahead of real time" if clock.offset > timedelta() else "real time"
        )
        now = clock.now.astimezone(settings.regional().zone)
        lines.append(_line("sandbox time", f"{now.isoformat(timespec='seconds')} ({moved})"))
    return lines
