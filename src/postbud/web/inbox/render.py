"""Rendering inbox pages, and the one-shot notices ("The payment is registered") between them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from postbud.web.context import web_context
from postbud.web.inbox import paths
from postbud.web.signin import signed_in

_FLASH = "flash"


def flash(request: Request, message_key: str) -> None:
    """A message (catalogue key) for the next page this browser sees."""
    request.session[_FLASH] = message_key


def _take_flash(request: Request) -> str | None:
    key = request.session.pop(_FLASH, None)
    return key if isinstance(key, str) else None


def page(
    request: Request, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200
) -> Response:
    web = web_context(request)
    values = {
        "paths": paths,
        "identity": signed_in(request),
        "sandbox": web.settings.sandbox,
        "notice": _take_flash(request),
        **(context or {}),
    }
    return web.pages.render(request, template, values, status=status)
