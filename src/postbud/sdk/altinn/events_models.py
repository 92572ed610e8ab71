"""Altinn Events' subscription models (``/events/api/v1/subscriptions``): how a client subscribes an
endpoint of its own to a resource's correspondence events (CloudEvents, reference §8)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["EventsSubscription", "EventsSubscriptionList", "EventsSubscriptionRequest"]


@dataclass(slots=True)
class EventsSubscriptionRequest:
    end_point: str
    """Where the events are posted (https)."""
    resource_filter: str
    """``urn:altinn:resource:<resource id>``."""
    subject_filter: str | None = None
    type_filter: str | None = None
    """One event type, e.g. ``no.altinn.correspondence.correspondencepublished``; None: all."""
    alternative_subject_filter: str | None = None
    source_filter: str | None = None
    include_subunits: bool | None = None


@dataclass(slots=True)
class EventsSubscription:
    id: int
    end_point: str
    resource_filter: str | None = None
    subject_filter: str | None = None
    type_filter: str | None = None
    alternative_subject_filter: str | None = None
    source_filter: str | None = None
    consumer: str | None = None
    created_by: str | None = None
    created: datetime | None = None
    validated: bool | None = None
    include_subunits: bool | None = None


@dataclass(slots=True)
class EventsSubscriptionList:
    count: int
    subscriptions: list[EventsSubscription] = field(default_factory=list)
