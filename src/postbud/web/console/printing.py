"""The print queue: letters routed to print, their print state, and the print-ready PDF as pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import ValidationFailed
from postbud.services.console import print_queue
from postbud.services.inbox.page_images import DEFAULT_WIDTH, WIDTHS, PageNotRenderable
from postbud.web.console import paths
from postbud.web.console.letters import shipment_id_of
from postbud.web.console.render import page
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.inbox.files import PRIVATE_CACHE, attachment_disposition

MAX_INLINE_PAGES: Final = 20


@dataclass(frozen=True, slots=True)
class PageView:
    number: int
    src: str
    srcset: str


def _pages(letter: print_queue.PrintLetter) -> list[PageView]:
    if letter.print_file is None:
        return []
    shipment_id = letter.shipment.id
    return [
        PageView(
            number=n,
            src=paths.print_page(shipment_id, n, DEFAULT_WIDTH),
            srcset=", ".join(f"{paths.print_page(shipment_id, n, w)} {w}w" for w in WIDTHS),
        )
        for n in range(1, min(letter.print_file.pages, MAX_INLINE_PAGES) + 1)
    ]


async def queue(request: Request) -> Response:
    cursor = request.query_params.get("cursor") or None
    try:
        found = await print_queue.print_queue(web_context(request).runtime, cursor)
    except ValidationFailed:
        return error_page(request, 400)
    older = paths.query(paths.PRINT, cursor=found.next_cursor) if found.next_cursor else None
    context = {"section": "print", "letters": found.letters, "older_url": older, "here": request.url.path}
    return page(request, "console/print_queue.html", context)


async def letter(request: Request) -> Response:
    found = await print_queue.print_letter(web_context(request).runtime, shipment_id_of(request))
    context = {
        "section": "print",
        "letter": found,
        "pages": _pages(found),
        "here": request.url.path,
    }
    return page(request, "console/print_letter.html", context)


async def pdf(request: Request) -> Response:
    shipment_id = shipment_id_of(request)
    content = await print_queue.print_pdf(web_context(request).runtime, shipment_id)
    headers = {
        "content-disposition": attachment_disposition(f"print-{shipment_id}.pdf"),
        "cache-control": "private, no-store",
    }
    return Response(content, media_type="application/pdf", headers=headers)


async def page_png(request: Request) -> Response:
    try:
        width = int(request.query_params.get("w", DEFAULT_WIDTH))
        png = await print_queue.print_page_image(
            web_context(request).runtime, shipment_id_of(request), int(request.path_params["page"]), width
        )
    except (ValueError, ValidationFailed):
        return error_page(request, 400)
    except PageNotRenderable:
        return error_page(request, 404)
    return Response(png, media_type="image/png", headers={"cache-control": PRIVATE_CACHE})
