"""What the console keeps for its lifetime: who the admin is, and how many live feeds are open."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Final

from starlette.requests import Request

SESSION_KEY: Final = "console"
MAX_FEEDS: Final = 50
"""Open live feeds per process; each polls the database twice a second."""


def token_fingerprint(token: str) -> str:
    """What a console session holds: enough to tell the token, not the token itself."""
    return hashlib.sha256(b"postbud-console\0" + token.encode()).hexdigest()


@dataclass
class ConsoleState:
    admin_token: str
    open_feeds: int = 0

    @property
    def admin_fingerprint(self) -> str:
        return token_fingerprint(self.admin_token)


def console_state(request: Request) -> ConsoleState:
    state = request.app.state.console
    assert isinstance(state, ConsoleState)
    return state


def admin_signed_in(request: Request) -> bool:
    held = request.session.get(SESSION_KEY)
    expected = console_state(request).admin_fingerprint
    return isinstance(held, str) and secrets.compare_digest(held.encode(), expected.encode())
