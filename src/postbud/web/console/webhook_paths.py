"""The console's URLs for webhook subscriptions and request bins (templates get it as ``hooks``)."""

from __future__ import annotations

import uuid
from typing import Final
from urllib.parse import quote

from postbud.web.console.paths import WEBHOOKS

SUBSCRIPTIONS: Final = f"{WEBHOOKS}/subscriptions"
BINS: Final = f"{WEBHOOKS}/bins"
OPEN_BIN: Final = f"{BINS}/open"


def subscription(webhook_id: uuid.UUID, action: str) -> str:
    """``action``: pause, resume, delete or test."""
    return f"{SUBSCRIPTIONS}/{webhook_id}/{action}"


def request_bin(name: str) -> str:
    return f"{BINS}/{quote(name, safe='')}"


def clear_bin(name: str) -> str:
    return f"{request_bin(name)}/clear"
