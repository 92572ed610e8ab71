"""Norwegian (bokmål) and English: which one a request gets, and the catalogue of page texts.

Each text is written in both languages side by side, ``key: (bokmål, English)``, so a text
cannot exist in one language only. Every part (shared, inbox, console) writes its texts in
sections and loads them with ``texts(*sections)``, which refuses a key written twice, an empty
text, and a placeholder one language has and the other lacks. A count's words take their plural
form from the count, ``{count} {count:jobb|jobber}`` (``postbud.domain.wording``). The language
comes from ``?lang=`` (the switch in the page header, remembered in the session), else from the
session, else from the browser's Accept-Language, else bokmål.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Final
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send

from postbud.domain.wording import format_text

LANGUAGES: Final = ("nb", "en")
DEFAULT_LANGUAGE: Final = "nb"
SESSION_KEY: Final = "lang"

# Browsers say "no" or "nn" for Norwegian readers who would rather read bokmål than English.
_ALIASES: Final = {"nb": "nb", "no": "nb", "nn": "nb", "en": "en"}

Texts = Mapping[str, tuple[str, str]]
"""Page texts by key, in bokmål and English. ("Message" means a letter in Postbud, not a UI text.)"""


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def texts(*sections: Texts) -> Texts:
    """The texts of ``sections`` as one catalogue, checked as they load (``ValueError``)."""
    loaded: dict[str, tuple[str, str]] = {}
    for section in sections:
        clash = loaded.keys() & section.keys()
        if clash:
            raise ValueError(f"text keys defined twice: {sorted(clash)}")
        for key, (nb, en) in section.items():
            if not nb or not en:
                raise ValueError(f"text {key!r} is empty in a language")
            if _placeholders(nb) != _placeholders(en):
                raise ValueError(f"text {key!r} has other placeholders in bokmål than in English")
        loaded.update(section)
    return loaded


class Catalogue:
    """Every text the web pages use, from the catalogues of each part (shared, inbox, console)."""

    def __init__(self, *parts: Texts) -> None:
        self._texts = texts(*parts)

    def text(self, lang: str, key: str, **params: object) -> str:
        nb, en = self._texts[key]
        template = en if lang == "en" else nb
        return format_text(template, params) if params else template

    def keys(self) -> frozenset[str]:
        return frozenset(self._texts)


class Translator:
    """``t("inbox.title")`` in templates: the catalogue, bound to one request's language."""

    def __init__(self, catalogue: Catalogue, lang: str) -> None:
        self.catalogue = catalogue
        self.lang = lang

    def __call__(self, key: str, **params: object) -> str:
        return self.catalogue.text(self.lang, key, **params)


def _weighted(accept_language: str) -> list[tuple[float, int, str]]:
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in _ALIASES and weight > 0:
            ranked.append((-weight, position, _ALIASES[primary]))
    return sorted(ranked)


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an Accept-Language header (RFC 9110 q-values)."""
    ranked = _weighted(accept_language or "")
    return ranked[0][2] if ranked else DEFAULT_LANGUAGE


def chosen_language(query_lang: str | None, session_lang: object, accept_language: str | None) -> str:
    if query_lang in LANGUAGES:
        return query_lang
    if isinstance(session_lang, str) and session_lang in LANGUAGES:
        return session_lang
    return negotiate(accept_language)


class LanguageMiddleware:
    """Puts the request's language in ``request.state.lang``; a ``?lang=`` choice is remembered.

    Runs inside the session middleware, which it relies on for ``scope["session"]``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        asked = query.get("lang", [None])[0]
        headers = dict(scope.get("headers", []))
        accept = headers.get(b"accept-language", b"").decode("latin-1") or None
        session = scope.get("session")
        lang = chosen_language(asked, session.get(SESSION_KEY) if session is not None else None, accept)
        if asked in LANGUAGES and session is not None:
            session[SESSION_KEY] = asked
        scope.setdefault("state", {})["lang"] = lang
        await self.app(scope, receive, send)
