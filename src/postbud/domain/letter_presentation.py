"""What an inbox shows of a letter beyond its subject and documents, as neutral letter properties.

A dialect whose letters carry a summary or links for the reader to follow (Altinn's reply options)
writes them under these names, so the inbox shows them without knowing any dialect.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SUMMARY_PROPERTY = "summary"
LINKS_PROPERTY = "links"
"""A JSON list of ``{"url": …, "text": …}`` (text may be null)."""
RECIPIENT_NAME_PLACEHOLDER = "{{recipientName}}"
"""Where a letter's text names its reader (Altinn's placeholder): shown as the recipient's name."""


@dataclass(frozen=True, slots=True)
class LetterLink:
    url: str
    text: str | None


def presentation_properties(summary: str | None, links: Sequence[LetterLink]) -> dict[str, str]:
    properties: dict[str, str] = {}
    if summary:
        properties[SUMMARY_PROPERTY] = summary
    if links:
        properties[LINKS_PROPERTY] = json.dumps([{"url": k.url, "text": k.text} for k in links])
    return properties


def letter_summary(properties: Mapping[str, str]) -> str | None:
    return properties.get(SUMMARY_PROPERTY) or None


def letter_links(properties: Mapping[str, str]) -> list[LetterLink]:
    raw = properties.get(LINKS_PROPERTY)
    if not raw:
        return []
    return [LetterLink(str(item["url"]), item.get("text")) for item in json.loads(raw)]
