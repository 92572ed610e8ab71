"""How outbound channels fail: permanent refusals, and faults the sandbox injects on purpose.

A ``DeliveryFailed`` (in ``base``) is worth retrying; a ``Rejected`` is not: the far side said no
for good (an unknown mailbox, an invalid number). ``FaultInjector`` makes channels fail on demand,
like Mailpit's chaos triggers, so senders can test their error handling against the sandbox.
It also makes webhook targets look down (an error status, or no answer in time).

The operator's settings live in the database (``services/sandbox/faults.py``), so they reach
job workers in other processes: an injector with a ``source`` re-reads them at most once a
second (``refresh``), and a newer revision replaces what it held. ``set`` and ``clear`` change
this injector alone (as tests do), over the stored settings.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import structlog

from postbud.domain.channels import Channel


class Rejected(Exception):
    """The far side refused for good; retrying cannot help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Fault:
    probability: float
    error: str


@dataclass(frozen=True, slots=True)
class WebhookFault:
    probability: float
    status_code: int | None
    """The status the target seems to answer with; None: it seems not to answer in time."""
    error: str

    def outcome(self, timeout: float) -> tuple[int | None, str | None]:
        """What the delivery log records for an attempt this fault fired on."""
        if self.status_code is None:
            return None, f"timeout: no answer within {timeout:g} s ({self.error})"
        return self.status_code, f"HTTP {self.status_code}: {self.error}"


@dataclass(frozen=True, slots=True)
class FaultSnapshot:
    revision: int
    channels: dict[Channel, Fault] = field(default_factory=dict)
    webhooks: dict[str, WebhookFault] = field(default_factory=dict)
    """By the target URL."""


FaultSource = Callable[[], Awaitable[FaultSnapshot]]
REFRESH_SECONDS = 1.0
MAILBOX_UNAVAILABLE = "sandbox fault: mailbox unavailable"
log = structlog.get_logger(__name__)

DEFAULT_ERRORS: dict[Channel, str] = {
    Channel.DIGITAL_MAILBOX: MAILBOX_UNAVAILABLE,
    Channel.BUSINESS_INBOX: MAILBOX_UNAVAILABLE,
    Channel.PRINT: "sandbox fault: the print house rejected the letter",
    Channel.EMAIL: "sandbox fault: 451 temporary SMTP failure",
    Channel.SMS: "sandbox fault: the SMS gateway is unavailable",
    Channel.EINVOICE: "sandbox fault: the e-invoice access point is unavailable",
}


class FaultInjector:
    """Per-channel failure probabilities, changeable while the server runs.

    One instance is shared by all adapters and the webhook delivery; the console and the
    platform API change the stored settings it refreshes from.
    """

    def __init__(self, seed: int | None = None, source: FaultSource | None = None) -> None:
        self._rng = random.Random(seed)
        self._faults: dict[Channel, Fault] = {}
        """Set on this injector alone; they win over the stored ones."""
        self._stored: dict[Channel, Fault] = {}
        self._webhook_faults: dict[str, WebhookFault] = {}
        self._source = source
        self._revision = -1
        self._read_at: float | None = None
        # Workers call should_fail from worker tasks and threads while the API changes settings.
        self._lock = threading.Lock()

    def set(self, channel: Channel, probability: float, error: str | None = None) -> Fault:
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"probability must be between 0 and 1, not {probability}")
        fault = Fault(probability, error or DEFAULT_ERRORS.get(channel, f"sandbox fault on {channel}"))
        with self._lock:
            if probability == 0.0:
                self._faults.pop(channel, None)
            else:
                self._faults[channel] = fault
        return fault

    def clear(self, channel: Channel | None = None) -> None:
        with self._lock:
            if channel is None:
                self._faults.clear()
            else:
                self._faults.pop(channel, None)

    def faults(self) -> dict[Channel, Fault]:
        with self._lock:
            return {**self._stored, **self._faults}

    def should_fail(self, channel: Channel) -> str | None:
        """The error text when an injected fault fires for this attempt, else None."""
        with self._lock:
            fault = self._faults.get(channel) or self._stored.get(channel)
            if fault is None:
                return None
            return fault.error if self._rng.random() < fault.probability else None

    def webhook_faults(self) -> dict[str, WebhookFault]:
        with self._lock:
            return dict(self._webhook_faults)

    def should_fail_webhook(self, url: str) -> WebhookFault | None:
        """The fault to answer with when one fires for this delivery attempt to ``url``, else None."""
        with self._lock:
            fault = self._webhook_faults.get(url)
            if fault is None:
                return None
            return fault if self._rng.random() < fault.probability else None

    def adopt(self, snapshot: FaultSnapshot) -> None:
        """Take the stored settings, unless a newer revision was taken already."""
        with self._lock:
            if snapshot.revision <= self._revision:
                return
            self._revision = snapshot.revision
            self._stored = dict(snapshot.channels)
            self._webhook_faults = dict(snapshot.webhooks)

    async def refresh(self) -> None:
        """Re-read the stored settings if they were last read more than a second ago."""
        started = time.monotonic()
        if self._source is None or (self._read_at is not None and started - self._read_at < REFRESH_SECONDS):
            return
        self._read_at = started
        try:
            snapshot = await self._source()
        except Exception:  # the database is briefly away: keep the faults we have
            log.warning("could not read the sandbox faults", exc_info=True)
            return
        self.adopt(snapshot)
