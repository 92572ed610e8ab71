"""Bearer authentication: the admin token may do everything; a sender's API key acts as that sender."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from postbud.domain.errors import NotPermitted, PermissionCode
from postbud.domain.parties import Sender
from postbud.platform_api.errors import Unauthenticated
from postbud.services.parties.senders import API_KEY_PREFIX, sender_by_api_key
from postbud.services.runtime import Runtime

_bearer = HTTPBearer(
    auto_error=False,
    description="The admin token (`<data-dir>/admin-token` or POSTBUD_ADMIN_TOKEN), or a sender's API key.",
)


@dataclass(frozen=True, slots=True)
class Principal:
    sender: Sender | None = None
    """None for the admin."""

    @property
    def is_admin(self) -> bool:
        return self.sender is None


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]
) -> Principal:
    if credentials is None:
        raise Unauthenticated("send 'Authorization: Bearer <admin token or API key>'")
    token = credentials.credentials
    admin_token: str = request.app.state.admin_token
    if secrets.compare_digest(token.encode(), admin_token.encode()):
        return Principal()
    if token.startswith(API_KEY_PREFIX):
        sender = await sender_by_api_key(token, runtime_of(request))
        if sender is not None:
            return Principal(sender)
    raise Unauthenticated("the token is not the admin token nor a current API key")


async def admin(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if not who.is_admin:
        raise NotPermitted("only the admin token may do this", PermissionCode.NOT_APPROVED)
    return who


RuntimeDep = Annotated[Runtime, Depends(runtime_of)]
AdminDep = Annotated[Principal, Depends(admin)]
PrincipalDep = Annotated[Principal, Depends(principal)]
