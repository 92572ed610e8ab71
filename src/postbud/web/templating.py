"""Jinja2 pages: one environment, with the language, formatting and CSRF token of the request.

Autoescaping is on for everything and undefined names fail loudly, so a template cannot quietly
print sender-controlled text as HTML or show an empty field because of a typo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from postbud.web.csrf import CSRF_FIELD, csrf_token
from postbud.web.formatting import DEFAULT_ZONE, Formatter
from postbud.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue, Translator

TEMPLATES_DIR: Final = Path(__file__).parent / "templates"
STATIC_DIR: Final = Path(__file__).parent / "static"
STATIC_PREFIX: Final = "/static"


@cache
def _fingerprint(path: str) -> str:
    try:
        return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


def static_url(path: str) -> str:
    """``/static/<path>?v=<content hash>``: a changed file gets a new URL, so caches never serve it stale."""
    return f"{STATIC_PREFIX}/{path}?v={_fingerprint(path)}"


def home_url(request: Request) -> str:
    """The start page of the part serving this request: ``/inbox/`` for the inbox, and so on."""
    return f"{request.scope.get('root_path', '').rstrip('/')}/"


def request_language(request: Request) -> str:
    lang = getattr(request.state, "lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


class Pages:
    def __init__(
        self,
        catalogue: Catalogue,
        directories: Sequence[Path] = (TEMPLATES_DIR,),
        *,
        zone: ZoneInfo = DEFAULT_ZONE,
    ) -> None:
        """``zone``: the deployment's, which every date and time on a page is shown in."""
        self.catalogue = catalogue
        self.zone = zone
        self.env = Environment(
            loader=FileSystemLoader([str(d) for d in directories]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals["static_url"] = static_url
        self.env.globals["csrf_field"] = CSRF_FIELD
        self.env.globals["languages"] = LANGUAGES

    def text(self, request: Request, key: str, **params: object) -> str:
        return self.catalogue.text(request_language(request), key, **params)

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        lang = request_language(request)
        values = {
            "request": request,
            "lang": lang,
            "t": Translator(self.catalogue, lang),
            "fmt": Formatter(lang, self.zone),
            # Pages drawn outside the session middleware (a crash page) have no session, so no forms.
            "csrf_token": csrf_token(request) if "session" in request.scope else "",
            "home_url": home_url(request),
            **(context or {}),
        }
        html = self.env.get_template(name).render(values)
        return HTMLResponse(html, status_code=status, headers=dict(headers or {}))
