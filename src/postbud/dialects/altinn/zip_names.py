"""The names in C10's zip of a correspondence's attachments, as the real service gives them: an
entry name is the file name, cut to 255 UTF-8 bytes (its extension kept) and made unique without
regard to case by ``(1)``, ``(2)``… before the extension; the zip is named by a slug of the title
(lower-case ``a-z0-9-``, at most 100 characters) and ``.zip``. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

MAX_ENTRY_BYTES: Final = 255
MAX_SLUG: Final = 100
FALLBACK: Final = "correspondence-attachments"
_WINDOWS_RESERVED: Final = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])$", re.IGNORECASE)


def _cut(text: str, max_bytes: int) -> str:
    """The longest start of ``text`` whose UTF-8 form fits ``max_bytes`` (never half a character)."""
    cut = text.encode("utf-8")[: max(max_bytes, 0)]
    return cut.decode("utf-8", "ignore")


def _split(name: str) -> tuple[str, str]:
    """Stem and extension (with its dot), as .NET's Path.GetExtension splits a file name."""
    stem, dot, extension = name.rpartition(".")
    if not dot or (not stem and not extension):
        return name, ""
    return stem, dot + extension


def _fitted(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_ENTRY_BYTES:
        return name
    stem, extension = _split(name)
    return _cut(stem, MAX_ENTRY_BYTES - len(extension.encode("utf-8"))) + extension


def entry_names(file_names: Sequence[str]) -> list[str]:
    """One entry name per file, in order, unique without regard to case."""
    used: set[str] = set()
    names: list[str] = []
    for file_name in file_names:
        base = _fitted(file_name)
        unique, counter = base, 1
        while unique.lower() in used:
            stem, extension = _split(base)
            suffix = f"({counter})"
            room = MAX_ENTRY_BYTES - len(extension.encode("utf-8")) - len(suffix)
            unique = f"{_cut(stem, room)}{suffix}{extension}"
            counter += 1
        used.add(unique.lower())
        names.append(unique)
    return names


def zip_name(title: str) -> str:
    slug = title.strip().lower().replace(" ", "-")
    slug = re.sub(r"[^a-z0-9\-]", "", slug)
    slug = re.sub(r"-+", "-", slug).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rstrip("-")
    if not slug:
        slug = FALLBACK
    if _WINDOWS_RESERVED.match(slug):
        slug = f"{FALLBACK}-{slug}"
    return f"{slug}.zip"
