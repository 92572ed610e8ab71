"""A sender's credentials for one dialect: how that dialect's clients prove who they send for.

A sender has one row of credentials per dialect and kind it uses, each with its own life (created,
revoked). What a credential carries besides its identifier depends on its kind; secrets are kept
only as hashes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class CredentialKind(StrEnum):
    CERTIFICATE = "certificate"
    """Digipost: the sender's numeric id (the identifier) and the X.509 certificate its requests are
    signed with (``certificate_pem`` in the data)."""
    API_KEY = "api_key"
    """A key for one dialect (Ekopost's ``Authorization: api-key``); the identifier is its SHA-256."""
    BASIC_LOGIN = "basic_login"
    """HTTP Basic (Ekopost): the identifier is the user name, the password is stored hashed."""
    ORGANISATION = "organisation"
    """Altinn: the organisation number tokens name, and the ``scopes`` it was granted (data)."""


@dataclass(frozen=True, slots=True)
class SenderCredential:
    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    kind: CredentialKind
    identifier: str
    created_at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    secret_hash: str | None = None
    revoked_at: datetime | None = None

    @property
    def live(self) -> bool:
        return self.revoked_at is None

    @property
    def certificate_pem(self) -> str | None:
        value = self.data.get("certificate_pem")
        return value if isinstance(value, str) else None

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.data.get("scopes") or ())
