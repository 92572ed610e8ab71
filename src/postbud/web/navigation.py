"""URL helpers both web parts (inbox and console) use: query strings, safe redirects, 303s."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.responses import RedirectResponse, Response


def query(path: str, **params: str | None) -> str:
    """``path`` with the given parameters that have a value, URL-encoded."""
    present = {k: v for k, v in params.items() if v}
    return f"{path}?{urlencode(present)}" if present else path


def safe_next(candidate: str | None, *, root: str, home: str) -> str:
    """Where to go after signing in: a path under ``root``, never another site (else ``home``)."""
    if not candidate:
        return home
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith(f"{root}/") or "\\" in candidate:
        return home
    return candidate


def see_other(url: str) -> Response:
    """After a form post: 303, so reloading the next page does not post again."""
    return RedirectResponse(url, status_code=303)
