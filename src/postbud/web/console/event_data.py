"""An event's data as an operator reads it: named facts, not JSON.

Events carry whatever their producer recorded (routing's reason and the channels it passed over, a
print job's pages and postage, a notice's address…). Known keys get a name in both languages
(``console.data.<key>``), others a readable form of their own; channels get their names, times
the deployment's format, yes/no for flags; empty values are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

HIDDEN: Final = frozenset({"shipment_id", "key"})
"""Shown elsewhere on the page (the letter's id) or meaningless to a person (a dedup key)."""
CHANNEL_KEYS: Final = frozenset({"channel", "inbox"})


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    text: str
    items: tuple[str, ...] = ()
    """A list's items, each on a line of its own (the channels routing passed over)."""


@dataclass(frozen=True, slots=True)
class Words:
    """What the renderer needs of the page: its texts, whether a text exists, and date formatting."""

    text: Callable[[str], str]
    has_text: Callable[[str], bool]
    when: Callable[[datetime], str]


def _label(key: str, words: Words) -> str:
    catalogue_key = f"console.data.{key}"
    return words.text(catalogue_key) if words.has_text(catalogue_key) else key.replace("_", " ").capitalize()


def _channel(value: str, words: Words) -> str:
    key = f"console.channel.{value}"
    return words.text(key) if words.has_text(key) else value


def _moment(value: str) -> datetime | None:
    if len(value) < 19 or value[4] != "-" or "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _scalar(value: object, words: Words, *, channel: bool = False) -> str:
    if isinstance(value, bool):
        return words.text("console.data.yes" if value else "console.data.no")
    if isinstance(value, str):
        if channel:
            return _channel(value, words)
        moment = _moment(value)
        return words.when(moment) if moment is not None else value
    if isinstance(value, Mapping):
        return ", ".join(
            f"{_label(str(k), words)}: {_scalar(v, words)}" for k, v in value.items() if _shown(v)
        )
    if isinstance(value, list | tuple):
        return ", ".join(_scalar(v, words) for v in value)
    return str(value)


def _passed_over(reason: str, words: Words) -> str:
    """``digital_mailbox: no mailbox`` as ``Digital mailbox: no mailbox``."""
    channel, sep, why = reason.partition(": ")
    return f"{_channel(channel, words)}: {why}" if sep else reason


def _shown(value: object) -> bool:
    return value is not None and value != "" and value != [] and value != {} and value != ()


def event_facts(data: Mapping[str, object], words: Words) -> list[Fact]:
    facts: list[Fact] = []
    for key, value in data.items():
        if key in HIDDEN or not _shown(value):
            continue
        label = _label(key, words)
        if key == "considered" and isinstance(value, list):
            items = tuple(_passed_over(str(v), words) for v in value)
            facts.append(Fact(label, "", items))
        elif isinstance(value, list) and len(value) > 1 and all(isinstance(v, Mapping) for v in value):
            facts.append(Fact(label, "", tuple(_scalar(v, words) for v in value)))
        else:
            facts.append(Fact(label, _scalar(value, words, channel=key in CHANNEL_KEYS)))
    return facts
