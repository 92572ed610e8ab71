"""The seam to an identity provider: who the recipient is, and how strongly they signed in.

``SignIn`` is what the inbox asks of a provider. The sandbox implementation lets anyone pick any
seeded person or organisation, like the test-identity pickers of national test environments. A
real provider (ID-porten, BankID, an OpenID Connect IdP) implements the same two steps: ``begin``
sends the browser to the provider (or shows its page), asking for at least ``level``; ``finish``
reads the provider's answer and says who signed in at which level. Step-up is ``begin`` again
with a higher level for the person already signed in.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.documents import AuthenticationLevel

SESSION_KEY = "recipient"


class SignInFailed(Exception):
    """The provider's answer does not identify anyone who may sign in; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Identity:
    recipient_id: uuid.UUID
    name: str
    level: AuthenticationLevel
    provider: str

    def as_session(self) -> dict[str, str]:
        return {
            "id": str(self.recipient_id),
            "name": self.name,
            "level": self.level.value,
            "provider": self.provider,
        }

    @classmethod
    def from_session(cls, data: object) -> Identity | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                uuid.UUID(str(data["id"])),
                str(data["name"]),
                AuthenticationLevel(data["level"]),
                str(data["provider"]),
            )
        except (KeyError, ValueError):
            return None


class SignIn(Protocol):
    provider: str

    async def begin(
        self, request: Request, *, next_url: str, level: AuthenticationLevel, problem: str | None = None
    ) -> Response:
        """Start a sign-in (or a step-up, when someone is signed in) at ``level`` or stronger."""
        ...

    async def finish(self, request: Request, answer: Mapping[str, Any]) -> Identity:
        """The identity the provider's answer proves; raises ``SignInFailed`` otherwise."""
        ...


def signed_in(request: Request) -> Identity | None:
    return Identity.from_session(request.session.get(SESSION_KEY))


def remember(request: Request, identity: Identity) -> None:
    request.session[SESSION_KEY] = identity.as_session()


def forget(request: Request) -> None:
    request.session.pop(SESSION_KEY, None)
