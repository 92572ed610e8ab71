"""Captured e-mails and SMS in the console: a list, and each message rendered and raw (as Mailpit)."""

from __future__ import annotations

import uuid
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from postbud.domain.channels import Channel
from postbud.services.console.captures import capture_attachment, get_capture, list_captures
from postbud.web.console import paths
from postbud.web.console.guard import admin_data, admin_page
from postbud.web.console.render import page
from postbud.web.context import web_context
from postbud.web.inbox.files import attachment_disposition

RAW_SHOWN_BYTES: Final = 256 * 1024
"""A raw message larger than this (big attachments) is cut on the page; the download is whole."""
_CHANNELS: Final = {"email": Channel.EMAIL, "sms": Channel.SMS}
_NO_STORE: Final = "private, no-store"


def _event_id(request: Request) -> uuid.UUID:
    value = request.path_params["event_id"]
    assert isinstance(value, uuid.UUID)
    return value


async def captures_list(request: Request) -> Response:
    chosen = request.query_params.get("channel") or ""
    channel = _CHANNELS.get(chosen)
    found = await list_captures(
        web_context(request).runtime, channel=channel, cursor=request.query_params.get("cursor") or None
    )
    older = (
        paths.query(paths.CAPTURES, channel=chosen if channel else None, cursor=found.next_cursor)
        if found.next_cursor
        else None
    )
    context = {
        "section": "captures",
        "captures": found.captures,
        "channel": chosen if channel else "",
        "channels": list(_CHANNELS),
        "older_url": older,
    }
    return page(request, "console/captures.html", context)


async def capture_page(request: Request) -> Response:
    view = await get_capture(web_context(request).runtime, _event_id(request))
    raw_text = view.raw[:RAW_SHOWN_BYTES].decode("utf-8", errors="replace") if view.raw is not None else None
    context = {
        "section": "captures",
        "capture": view,
        "is_email": view.captured.channel is Channel.EMAIL,
        "raw_text": raw_text,
        "raw_cut": view.raw is not None and len(view.raw) > RAW_SHOWN_BYTES,
    }
    return page(request, "console/capture.html", context)


async def capture_raw(request: Request) -> Response:
    """The message as stored: the .eml (``message/rfc822``) or the SMS's JSON, as a download."""
    view = await get_capture(web_context(request).runtime, _event_id(request))
    if view.raw is None:
        return Response(status_code=404, headers={"cache-control": _NO_STORE})
    is_email = view.captured.channel is Channel.EMAIL
    name = f"capture-{view.captured.event_id}.{'eml' if is_email else 'json'}"
    headers = {"content-disposition": attachment_disposition(name), "cache-control": _NO_STORE}
    return Response(
        view.raw, media_type="message/rfc822" if is_email else "application/json", headers=headers
    )


async def capture_attachment_file(request: Request) -> Response:
    index = request.path_params["index"]
    assert isinstance(index, int)
    attachment, content = await capture_attachment(web_context(request).runtime, _event_id(request), index)
    headers = {"content-disposition": attachment_disposition(attachment.filename), "cache-control": _NO_STORE}
    # Whatever type the e-mail named, it is downloaded, never shown on the console's own origin.
    return Response(content, media_type="application/octet-stream", headers=headers)


def capture_routes() -> list[BaseRoute]:
    """Relative to the console's root, like its other routes."""
    one = "/captures/{event_id:uuid}"
    return [
        Route("/captures", admin_page(captures_list), methods=["GET"]),
        Route(one, admin_page(capture_page), methods=["GET"]),
        Route(one + "/raw", admin_data(capture_raw), methods=["GET"]),
        Route(one + "/attachments/{index:int}", admin_data(capture_attachment_file), methods=["GET"]),
    ]
