"""How outbound channels fail: permanent refusals, and faults the sandbox injects on purpose.

A ``DeliveryFailed`` (in ``base``) is worth retrying; a ``Rejected`` is not: the far side said no
for good (an unknown mailbox, an invalid number). ``FaultInjector`` makes channels fail on demand,
like Mailpit's chaos triggers, so senders can test their error handling against the sandbox.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

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


DEFAULT_ERRORS: dict[Channel, str] = {
    Channel.PRINT: "sandbox fault: the print house rejected the letter",
    Channel.EMAIL: "sandbox fault: 451 temporary SMTP failure",
    Channel.SMS: "sandbox fault: the SMS gateway is unavailable",
    Channel.EINVOICE: "sandbox fault: the e-invoice access point is unavailable",
}


class FaultInjector:
    """Per-channel failure probabilities, changeable while the server runs.

    One instance is shared by all adapters; the console changes it through the platform API.
    """

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._faults: dict[Channel, Fault] = {}
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
            return dict(self._faults)

    def should_fail(self, channel: Channel) -> str | None:
        """The error text when an injected fault fires for this attempt, else None."""
        with self._lock:
            fault = self._faults.get(channel)
            if fault is None:
                return None
            return fault.error if self._rng.random() < fault.probability else None
