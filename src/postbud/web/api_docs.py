"""The platform API's reference pages, Swagger UI and ReDoc, served whole from Postbud itself.

FastAPI's own docs page loads Swagger UI from a CDN, so it is blank without the internet. Here both
viewers' files come from the pinned ``fastapi-standalone-docs`` package (swagger-ui-dist and
ReDoc's standalone bundle, each with its licence beside it), served under the docs' own URL; the
pages name no other host, and ReDoc is told not to fetch web fonts.
"""

from __future__ import annotations

from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Final

from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from postbud.web.security import SecurityHeadersMiddleware
from postbud.web.templating import static_url

ASSETS_PACKAGE: Final = "fastapi_standalone_docs"
_CACHE_CONTROL: Final = "public, max-age=86400"


def _root_path(request: Request) -> str:
    """The path a proxy serves Postbud under (``--root-path``), as FastAPI's own docs honour it."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def _assets_dir(viewer: str) -> Path:
    return Path(str(files(ASSETS_PACKAGE) / "static" / viewer))


class ApiDocs:
    """URLs of the two viewers and their assets, below ``docs_url`` (``/api/v1/docs``)."""

    def __init__(self, *, title: str, openapi_url: str, docs_url: str, redoc_url: str) -> None:
        self.title = title
        self.openapi_url = openapi_url
        self.docs_url = docs_url
        self.redoc_url = redoc_url
        self.assets_url = f"{docs_url}/assets"
        # The package's version in each asset URL: a new release gets new URLs, so caches never mix.
        self._version = version("fastapi-standalone-docs")

    def asset(self, viewer: str, name: str, root: str = "") -> str:
        return f"{root}{self.assets_url}/{viewer}/{name}?v={self._version}"

    async def swagger_ui(self, request: Request) -> HTMLResponse:
        root = _root_path(request)
        return get_swagger_ui_html(
            openapi_url=root + self.openapi_url,
            title=f"{self.title} · Swagger UI",
            swagger_js_url=self.asset("swagger", "swagger-ui-bundle.js", root),
            swagger_css_url=self.asset("swagger", "swagger-ui.css", root),
            swagger_favicon_url=root + static_url("img/postbud.svg"),
        )

    async def redoc(self, request: Request) -> HTMLResponse:
        root = _root_path(request)
        return get_redoc_html(
            openapi_url=root + self.openapi_url,
            title=f"{self.title} · ReDoc",
            redoc_js_url=self.asset("redoc", "redoc.standalone.js", root),
            redoc_favicon_url=root + static_url("img/postbud.svg"),
            with_google_fonts=False,
        )

    def routes(self) -> list[BaseRoute]:
        def assets(viewer: str) -> Mount:
            app = StaticFiles(directory=_assets_dir(viewer))
            return Mount(f"{self.assets_url}/{viewer}", SecurityHeadersMiddleware(app, _CACHE_CONTROL))

        return [
            Route(self.docs_url, self.swagger_ui, methods=["GET"], include_in_schema=False),
            Route(self.redoc_url, self.redoc, methods=["GET"], include_in_schema=False),
            assets("swagger"),
            assets("redoc"),
        ]
