"""Rendering console pages, and the one-shot notices ("Redelivery queued") between them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.web.console import paths
from postbud.web.console.state import admin_signed_in
from postbud.web.context import web_context

_FLASH: Final = "console_flash"


def flash(request: Request, message_key: str, *, error: bool = False, **params: str) -> None:
    """A message (catalogue key and its values) for the next page this browser sees."""
    request.session[_FLASH] = {"key": message_key, "error": error, "params": params}


def _take_flash(request: Request) -> dict[str, Any] | None:
    notice = request.session.pop(_FLASH, None)
    return notice if isinstance(notice, dict) and isinstance(notice.get("key"), str) else None


def page(
    request: Request, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200
) -> Response:
    web = web_context(request)
    values = {
        "paths": paths,
        "sandbox": web.settings.sandbox,
        "notice": _take_flash(request),
        "signed_in": admin_signed_in(request),
        "section": "",
        **(context or {}),
    }
    return web.pages.render(request, template, values, status=status)


def fragment(request: Request, template: str, context: Mapping[str, Any] | None = None) -> str:
    """A piece of a page as text (a feed row for the live stream), rendered like a page."""
    values = {"paths": paths, "sandbox": web_context(request).settings.sandbox, **(context or {})}
    return bytes(web_context(request).pages.render(request, template, values).body).decode()
