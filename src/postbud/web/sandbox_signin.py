"""Sign-in for the sandbox: pick any seeded person or organisation with an inbox, at any level.

Like the test-identity pickers of national test environments (ID-porten's "TestID"), it proves
nothing about the person at the keyboard. It is only wired in when Postbud runs as a sandbox;
otherwise ``UnavailableSignIn`` says plainly that no identity provider is configured.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.documents import AuthenticationLevel
from postbud.services.inbox.query import inbox_owner, inbox_owners
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.signin import Identity, SignInFailed, signed_in

PICKER_SIZE: Final = 25
MAX_QUERY: Final = 100
STEP_UP_FIELD: Final = "step_up"


class SandboxSignIn:
    provider = "sandbox"

    async def begin(
        self, request: Request, *, next_url: str, level: AuthenticationLevel, problem: str | None = None
    ) -> Response:
        web = web_context(request)
        current = signed_in(request)
        status = 400 if problem else 200
        if current is not None and current.level.rank < level.rank:
            context = {"identity": current, "level": level, "next_url": next_url, "problem": problem}
            return web.pages.render(request, "signin/step_up.html", context, status=status)
        query = request.query_params.get("q", "").strip()[:MAX_QUERY]
        owners = await inbox_owners(web.runtime, query or None, limit=PICKER_SIZE)
        context = {
            "owners": owners,
            "query": query,
            "next_url": next_url,
            "problem": problem,
            "identity": current,
        }
        return web.pages.render(request, "signin/picker.html", context, status=status)

    async def finish(self, request: Request, answer: Mapping[str, Any]) -> Identity:
        try:
            level = AuthenticationLevel(answer.get("level") or AuthenticationLevel.PASSWORD.value)
        except ValueError:
            raise SignInFailed("unknown authentication level") from None
        if answer.get(STEP_UP_FIELD):
            current = signed_in(request)
            if current is None:
                raise SignInFailed("step-up without a signed-in recipient")
            return replace(current, level=max(current.level, level, key=lambda lv: lv.rank))
        try:
            recipient_id = uuid.UUID(str(answer.get("recipient_id")))
        except ValueError:
            raise SignInFailed("no identity chosen") from None
        owner = await inbox_owner(web_context(request).runtime, recipient_id)
        if owner is None:
            raise SignInFailed("no inbox for that identity")
        return Identity(owner.id, owner.name, AuthenticationLevel.PASSWORD, self.provider)


class UnavailableSignIn:
    provider = "none"

    async def begin(
        self, request: Request, *, next_url: str, level: AuthenticationLevel, problem: str | None = None
    ) -> Response:
        return error_page(request, 503, web_context(request).pages.text(request, "signin.unavailable"))

    async def finish(self, request: Request, answer: Mapping[str, Any]) -> Identity:
        raise SignInFailed("no identity provider is configured")
