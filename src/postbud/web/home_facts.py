"""What is running, as the home page and the start command's banner both name it.

``Deployment`` is what the application knows when it is built (its version, each dialect's paths
and own port); ``storage_of`` reads the settings for where letters are kept, without a password or
a key in sight. Both surfaces take the same facts, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from postbud.config import Settings
from postbud.web.console.webhook_paths import BINS as CONSOLE_BINS_PATH
from postbud.web.request_bin import BIN_PATH

INBOX_PATH: Final = "/inbox/"
CONSOLE_PATH: Final = "/console/"


@dataclass(frozen=True, slots=True)
class DialectDoor:
    """One dialect as a client meets it: where it answers and how a sender authenticates."""

    name: str
    paths: tuple[str, ...]
    """Where it is mounted on the main port (``/digipost``)."""
    own_port: int | None
    """A port where it answers at the root (``--ekopost-port``), when the server listens on one."""
    credentials: str
    """The dialect's own words on how a sender's client authenticates."""

    def base_urls(self, public_url: str) -> list[str]:
        """The mounted base URLs, then the own port's root (on the public URL's host)."""
        urls = [f"{public_url}{path.rstrip('/')}/" for path in self.paths]
        if self.own_port is not None:
            public = urlsplit(public_url)
            urls.append(f"{public.scheme or 'http'}://{public.hostname or '127.0.0.1'}:{self.own_port}/")
        return urls


@dataclass(frozen=True, slots=True)
class Deployment:
    version: str
    doors: tuple[DialectDoor, ...]
    docs_path: str
    """Swagger UI of the platform API."""
    reference_path: str
    """ReDoc of the platform API."""
    openapi_path: str
    api_path: str
    """The platform API's base path (``/api/v1``)."""


@dataclass(frozen=True, slots=True)
class Storage:
    database: str
    """``SQLite`` or ``PostgreSQL`` (or the driver's own name)."""
    database_at: str
    """The file, or host, port and database: never the password."""
    documents: str
    """``files`` or ``S3``."""
    documents_at: str
    """The folder, or the bucket and its endpoint: never a key."""


_DATABASES: Final = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _database(url: str) -> tuple[str, str]:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "?", "?"
    backend = parsed.get_backend_name()
    kind = _DATABASES.get(backend, backend)
    if backend == "sqlite":
        return kind, parsed.database or ":memory:"
    where = parsed.host or "localhost"
    if parsed.port:
        where += f":{parsed.port}"
    return kind, f"{where}/{parsed.database or ''}"


def _documents(url: str) -> tuple[str, str]:
    if "://" not in url:
        return "files", str(Path(url))
    parts = urlsplit(url)
    if parts.scheme == "file":
        return "files", unquote(parts.path)
    if parts.scheme == "s3":
        endpoint = parse_qs(parts.query).get("endpoint", [""])[0]
        return "S3", f"{parts.netloc}" + (f" at {endpoint}" if endpoint else "")
    return parts.scheme, parts.netloc


def storage_of(settings: Settings) -> Storage:
    database, database_at = _database(settings.resolved_database_url)
    documents, documents_at = _documents(settings.resolved_blob_url)
    return Storage(database, database_at, documents, documents_at)


@dataclass(frozen=True, slots=True)
class RequestBins:
    """Postbud as a webhook receiver: a subscription posts to ``receive_url``/<name>, the console shows it."""

    receive_url: str
    console_url: str


def request_bins(settings: Settings) -> RequestBins | None:
    """Where the sandbox's request bins are; None outside a sandbox, which has none."""
    if not settings.sandbox:
        return None
    url = settings.resolved_public_url
    return RequestBins(f"{url}{BIN_PATH}/", f"{url}{CONSOLE_BINS_PATH}")


def admin_token_location(settings: Settings) -> str:
    """Where the admin token is read from: the environment (or command line), or its file."""
    return "POSTBUD_ADMIN_TOKEN" if settings.admin_token else str(settings.resolved_data_dir / "admin-token")
