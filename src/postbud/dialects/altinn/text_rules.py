"""The real service's text checks (reference §3.3), approximated: plain text has no HTML and no
Markdown markup; a Markdown body has no raw HTML outside code."""

from __future__ import annotations

import re

_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")
_CODE = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)
_MARKDOWN = re.compile(
    r"^\s{0,3}#{1,6}\s"  # a heading
    r"|\*\*[^*]+\*\*|__[^_]+__"  # strong emphasis
    r"|(?<![\w*])\*[^*\s][^*]*\*(?![\w*])|(?<![\w_])_[^_\s][^_]*_(?![\w_])"  # emphasis
    r"|!?\[[^\]]*\]\([^)]*\)"  # a link or an image
    r"|^\s{0,3}>\s",  # a block quote
    re.MULTILINE,
)


def is_plain_text(text: str) -> bool:
    prose = text.replace("`", "").replace("\\", "")
    return not _HTML_TAG.search(prose) and not _MARKDOWN.search(prose)


def is_markdown_without_html(text: str) -> bool:
    return not _HTML_TAG.search(_CODE.sub("", text))
