"""The sender's event feed holds exactly what Digipost's document-event poll can show.

The poll reads only the feed (storage/repos/events.py), so a document event whose kind is not a
feed kind would never be shown; a feed kind no poll shows would be a row every poll walks past.
"""

from __future__ import annotations

from postbud.dialects.digipost.event_vocabulary import event_kinds
from postbud.domain.channels import Channel
from postbud.domain.event_feed import FEED_KINDS, in_feed
from postbud.domain.events import EventType


def _pairs(kinds: list[tuple[str, list[str] | None]]) -> set[tuple[EventType, Channel | None]]:
    pairs: set[tuple[EventType, Channel | None]] = set()
    for kind, channels in kinds:
        for channel in [None] if channels is None else [Channel(c) for c in channels]:
            pairs.add((EventType(kind), channel))
    return pairs


def _feed() -> set[tuple[EventType, Channel | None]]:
    return {
        (kind, channel)
        for kind, channels in FEED_KINDS.items()
        for channel in ([None] if channels is None else sorted(channels))
    }


def test_every_document_event_of_every_version_is_a_feed_kind() -> None:
    for version in (7, 8):
        assert _pairs(event_kinds(version)) <= _feed(), version


def test_the_feed_holds_nothing_the_newest_poll_cannot_show() -> None:
    assert _pairs(event_kinds(8)) == _feed()


def test_only_outcomes_go_into_the_feed() -> None:
    assert in_feed(EventType.OPENED, Channel.DIGITAL_MAILBOX)
    assert in_feed(EventType.DELIVERED, Channel.EMAIL)
    assert not in_feed(EventType.DELIVERED, Channel.DIGITAL_MAILBOX)
    assert not in_feed(EventType.CREATED, None)
    assert not in_feed(EventType.ROUTED, Channel.PRINT)
    assert not in_feed(EventType.NOTIFICATION_FAILED, None)
