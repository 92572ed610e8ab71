"""A recipient's encryption key: what senders pre-encrypt letters to that recipient with."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RecipientKey:
    """One RSA key pair per recipient. ``public_key_pem`` is a PEM SubjectPublicKeyInfo;
    ``key_id`` names it to senders (it becomes the CMS recipient's subject key identifier)."""

    recipient_id: uuid.UUID
    key_id: str
    public_key_pem: str
    private_key_pem: str
    created_at: datetime
