"""Settings, from the command line, environment (``POSTBUD_*``) or defaults.

The embedded default keeps everything under one data folder: the SQLite database, the
document blobs, the platform's signing key and the admin token.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from postbud.domain.regional import NORWAY, Regional
from postbud.secret_files import secret_token


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POSTBUD_", extra="ignore")

    data_dir: Path = Field(default=Path("postbud-data"))
    database_url: str | None = None
    """Defaults to SQLite in the data folder; ``postgresql+asyncpg://…`` for scale-out."""
    blob_url: str | None = None
    """Defaults to files under ``<data_dir>/blobs``; ``s3://bucket?endpoint=…`` for scale-out."""
    blob_sync: Literal["auto", "syncfs", "fsync"] = "auto"
    """How local blob files are made durable: one ``syncfs`` per batch (auto, on Linux 5.8+), or an
    fsync per file and directory (for a data folder on a filesystem shared with heavy writers)."""
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str | None = None
    """The base URL clients reach this server on; defaults to http://host:port."""
    admin_token: str | None = None
    sandbox: bool = True
    # --- Sandbox credentials fixed by configuration (SANDBOXAPI): the same in every fresh data folder,
    # and through `postbud reset --new-credentials`, so a CI configuration names them once.
    sandbox_api_key: str | None = None
    """The sandbox sender's API key (``pb_live_`` and at least 16 more characters); generated if unset."""
    sandbox_sender_key_file: Path | None = None
    """A PEM file with the sandbox sender's RSA private key (its certificate is made from it);
    generated into ``<data_dir>/sandbox/sender-key.pem`` if unset."""
    workers: int = 2
    """Job workers started inside ``postbud serve`` (0 runs the API alone)."""
    worker_heartbeat_seconds: float = Field(default=2.0, gt=0)
    """How often a process with job workers beats in the worker registry and looks for dead ones."""
    worker_dead_after_seconds: float = Field(default=15.0, gt=0)
    """A worker on another machine that has not beaten for this long is dead: its jobs run elsewhere."""
    max_document_bytes: int = 100 * 1024 * 1024
    max_request_bytes: int = 200 * 1024 * 1024
    max_attachments: int = 201
    max_letters_per_send: int = 500
    """Recipients one send-to-many request may name (Altinn: 500)."""
    ingest_batch_size: int = 128
    ingest_batch_wait_ms: float = 2.0
    log_json: bool = False
    metrics: Literal["auto", "loopback", "token", "public", "off"] = "auto"
    """Who may read ``/metrics``: ``loopback`` (callers on this host, not through a proxy), ``token``
    (a bearer token), ``public``, ``off``; ``auto`` is loopback when ``host`` is a loopback address,
    else token."""
    metrics_token: str | None = None
    """The bearer token ``/metrics`` takes in token mode; the admin token when unset."""
    smtp_url: str | None = None
    """``smtp://user:pass@host:1025``, ``smtp+starttls://…`` or ``smtps://…``; unset: e-mail is captured."""
    smtp_from: str = "postbud@localhost"
    sms_gateway_url: str | None = None
    """An HTTP endpoint taking ``{"to", "from", "text"}`` as JSON; unset: SMS is captured."""
    time_zone: str = NORWAY.time_zone
    """The deployment's zone: SMS hours, postmarks, local times without an offset. A sender may differ."""
    country: str = NORWAY.country
    """ISO 3166-1 alpha-2: addresses without a country, national phone numbers, the print house's home."""
    sms_from: time = NORWAY.sms_from
    sms_until: time = NORWAY.sms_until
    """SMS notices and reminders go out only from ``sms_from`` until ``sms_until``, local time."""
    working_days: frozenset[int] = NORWAY.working_days
    """Weekdays counted as working days, Monday = 0."""
    print_window: Literal["left", "right"] = "left"
    """The print house's envelope: a left window (Norwegian C5) or a right one (Swedish print houses).
    A letter may name its own window."""

    def regional(self) -> Regional:
        """The deployment's region; ``Sender.regional`` puts a sender's own zone and country over it."""
        return Regional(
            time_zone=self.time_zone,
            country=self.country.upper(),
            sms_from=self.sms_from,
            sms_until=self.sms_until,
            working_days=self.working_days,
        )

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.resolved_data_dir / 'postbud.db'}"

    @property
    def resolved_blob_url(self) -> str:
        return self.blob_url or str(self.resolved_data_dir / "blobs")

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    def ensure_data_dir(self) -> Path:
        path = self.resolved_data_dir
        path.mkdir(parents=True, exist_ok=True)
        return path

    def resolved_admin_token(self) -> str:
        """The admin token: given, or generated once and kept in the data folder."""
        if self.admin_token:
            return self.admin_token
        return secret_token(self.ensure_data_dir() / "admin-token")
