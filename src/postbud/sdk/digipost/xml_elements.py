"""Reading Digipost's XML: an element's children by their local name, a child's text, a time."""

from __future__ import annotations

from datetime import datetime

from lxml import etree


def child_elements(el: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in el if isinstance(child.tag, str) and etree.QName(child).localname == name]


def child_text(el: etree._Element, name: str) -> str | None:
    """The text of the first child called ``name`` ("" when it is empty), or None when there is none."""
    found = child_elements(el, name)
    return (found[0].text or "") if found else None


def optional_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
