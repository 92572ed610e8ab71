"""A letter's Markdown body as safe HTML: CommonMark with raw HTML off (a ``<script>`` in the text
is shown as text, never run) and only web and mail links (markdown-it refuses ``javascript:``,
``vbscript:``, ``file:`` and ``data:`` links; this narrows it to http, https and mailto)."""

from __future__ import annotations

from typing import Final

from markdown_it import MarkdownIt
from markupsafe import Markup

_LINK_SCHEMES: Final = ("https:", "http:", "mailto:", "#", "/")


def _allowed(url: str) -> bool:
    return url.strip().lower().startswith(_LINK_SCHEMES)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.validateLink = _allowed  # type: ignore[method-assign]
    return parser


_PARSER: Final = _parser()


def markdown_html(text: str) -> Markup:
    return Markup(_PARSER.render(text))  # noqa: S704 — raw HTML is off: the text is escaped
