"""Client configuration: who the broker is, its key, and where the API lives."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from postbud.dialects.digipost.keys import load_pkcs12, load_private_key

__all__ = ["DEFAULT_BASE_URL", "TEST_BASE_URL", "DigipostConfig"]

DEFAULT_BASE_URL = "https://api.digipost.no"
TEST_BASE_URL = "https://api.test.digipost.no"

KeySource = bytes | str | os.PathLike[str]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _default_user_agent() -> str:
    try:
        return f"postbud-digipost-sdk/{version('postbud')}"
    except PackageNotFoundError:
        return "postbud-digipost-sdk"


def _read(source: KeySource) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str) and "-----BEGIN " in source:
        return source.encode("ascii")
    return Path(source).read_bytes()


@dataclass(frozen=True, slots=True)
class DigipostConfig:
    """Immutable settings shared by :class:`DigipostClient` and :class:`AsyncDigipostClient`.

    ``broker_id`` goes in ``X-Digipost-UserId`` on every request; ``sender_id`` (default: the broker)
    is the account messages are sent as when a :class:`Message` names none, and whose sender-scoped
    entrypoint is used for sharing and document status.
    """

    broker_id: int
    private_key: RSAPrivateKey = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    sender_id: int | None = None
    timeout: float = 30.0
    max_clock_skew: timedelta = timedelta(minutes=5)
    entrypoint_cache_ttl: timedelta = timedelta(minutes=5)
    user_agent: str = field(default_factory=_default_user_agent)
    clock: Callable[[], datetime] = field(default=_utc_now, repr=False)

    def __post_init__(self) -> None:
        if self.broker_id <= 0:
            raise ValueError("broker_id must be a positive Digipost account id")
        if self.sender_id is not None and self.sender_id <= 0:
            raise ValueError("sender_id must be a positive Digipost account id")
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http(s) URL, not {self.base_url!r}")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def effective_sender_id(self) -> int:
        return self.broker_id if self.sender_id is None else self.sender_id

    @classmethod
    def from_pem(
        cls, broker_id: int, key: KeySource, *, password: bytes | str | None = None, **options: Any
    ) -> DigipostConfig:
        """Key from PEM (PKCS#1 or PKCS#8): bytes, PEM text, or a path to a PEM file."""
        return cls(broker_id, load_private_key(_read(key), password), **options)

    @classmethod
    def from_pkcs12(
        cls, broker_id: int, keystore: bytes | str | os.PathLike[str], password: bytes | str, **options: Any
    ) -> DigipostConfig:
        """Key from a PKCS#12 key store (``.p12``/``.pfx``): its first key entry, as the Java client."""
        data = keystore if isinstance(keystore, bytes) else Path(keystore).read_bytes()
        private_key, _ = load_pkcs12(data, password)
        return cls(broker_id, private_key, **options)
