"""Use case: the sandbox's injected faults, per channel and per webhook target, kept in the database.

An operator (console or platform API) sets a failure probability and the error to produce: a
mailbox that is unavailable, a print house that refuses with a reason, a webhook target that
answers 5xx or not at all. Stored, they reach every process: each ``FaultInjector`` with the
``stored_faults`` source re-reads them within a second; this process adopts a change at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from postbud.channels.faults import DEFAULT_ERRORS, Fault, FaultSnapshot, WebhookFault
from postbud.domain.channels import Channel
from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
from postbud.services.runtime import Runtime
from postbud.services.sandbox.mode import require_sandbox
from postbud.storage.database import Database
from postbud.storage.repos.sandbox_settings import CHANNEL, WEBHOOK, StoredFaults
from postbud.storage.unit_of_work import SqlUnitOfWork

FAULT_CHANNELS: Final = (
    Channel.DIGITAL_MAILBOX,
    Channel.BUSINESS_INBOX,
    Channel.PRINT,
    Channel.EMAIL,
    Channel.SMS,
    Channel.EINVOICE,
)
_CHANNEL_NAMES: Final = frozenset(c.value for c in Channel)
MAX_ERROR_LENGTH: Final = 500
MAX_URL_LENGTH: Final = 2000
DEFAULT_WEBHOOK_STATUS: Final = 503
WEBHOOK_STATUS_RANGE: Final = range(400, 600)
DEFAULT_WEBHOOK_ERROR: Final = "sandbox fault: the target is unavailable"


@dataclass(frozen=True, slots=True)
class FaultSettings:
    channels: dict[Channel, Fault] = field(default_factory=dict)
    webhooks: dict[str, WebhookFault] = field(default_factory=dict)


def _snapshot(stored: StoredFaults) -> FaultSnapshot:
    snapshot = FaultSnapshot(stored.revision)
    for fault in stored.faults:
        if fault.kind == CHANNEL and fault.target in _CHANNEL_NAMES:
            snapshot.channels[Channel(fault.target)] = Fault(fault.probability, fault.error)
        elif fault.kind == WEBHOOK:
            snapshot.webhooks[fault.target] = WebhookFault(fault.probability, fault.status_code, fault.error)
    return snapshot


async def stored_faults(database: Database) -> FaultSnapshot:
    """The ``FaultInjector`` source: a few rows, read inline on SQLite."""
    async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
        return _snapshot(await uow.sandbox_settings.faults())


async def fault_settings(runtime: Runtime) -> FaultSettings:
    async with runtime.reader() as uow:
        snapshot = _snapshot(await uow.sandbox_settings.faults())
    return FaultSettings(snapshot.channels, snapshot.webhooks)


def _target_url(url: str) -> list[FieldError]:
    """A webhook target as webhooks store it: an absolute http(s) URL of at most 2000 characters."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (
        len(url) > MAX_URL_LENGTH
        or parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
    ):
        return [
            FieldError(
                "url",
                f"an absolute http or https URL of at most {MAX_URL_LENGTH} characters",
                RuleCode.WRONG_FORMAT,
            )
        ]
    return []


def _probability(probability: float) -> list[FieldError]:
    if not 0.0 <= probability <= 1.0:
        return [FieldError("probability", "between 0 and 1", RuleCode.INVALID)]
    return []


def _error_text(error: str | None, default: str) -> tuple[str, list[FieldError]]:
    text = (error or "").strip() or default
    if len(text) > MAX_ERROR_LENGTH:
        return text, [FieldError("error", f"at most {MAX_ERROR_LENGTH} characters", RuleCode.TOO_LONG)]
    return text, []


async def _adopt_now(runtime: Runtime) -> None:
    runtime.faults.adopt(await stored_faults(runtime.database))


async def set_channel_fault(
    runtime: Runtime, channel: Channel, probability: float, error: str | None = None
) -> Fault:
    """Make ``channel`` fail with ``probability`` (0 removes the fault)."""
    require_sandbox(runtime)
    text, errors = _error_text(error, DEFAULT_ERRORS.get(channel, f"sandbox fault on {channel}"))
    errors = _probability(probability) + errors
    if channel not in FAULT_CHANNELS:
        errors.append(
            FieldError("channel", f"one of {', '.join(c.value for c in FAULT_CHANNELS)}", RuleCode.INVALID)
        )
    if errors:
        raise ValidationFailed(errors)
    async with runtime.unit_of_work() as uow:
        repo = uow.sandbox_settings
        if probability == 0.0:
            await repo.delete_faults(now=runtime.clock.now(), kind=CHANNEL, target=channel.value)
        else:
            await repo.put_fault(CHANNEL, channel.value, probability, text, None, now=runtime.clock.now())
    await _adopt_now(runtime)
    return Fault(probability, text)


async def set_webhook_fault(
    runtime: Runtime,
    url: str,
    probability: float,
    *,
    status_code: int | None = DEFAULT_WEBHOOK_STATUS,
    error: str | None = None,
) -> WebhookFault:
    """Make deliveries to ``url`` seem to get ``status_code`` (None: no answer in time); 0 removes it."""
    require_sandbox(runtime)
    text, errors = _error_text(error, DEFAULT_WEBHOOK_ERROR)
    errors = _target_url(url) + _probability(probability) + errors
    if status_code is not None and status_code not in WEBHOOK_STATUS_RANGE:
        errors.append(
            FieldError(
                "status_code", "an error status from 400 to 599, or none for a timeout", RuleCode.INVALID
            )
        )
    if errors:
        raise ValidationFailed(errors)
    async with runtime.unit_of_work() as uow:
        repo = uow.sandbox_settings
        if probability == 0.0:
            await repo.delete_faults(now=runtime.clock.now(), kind=WEBHOOK, target=url)
        else:
            await repo.put_fault(WEBHOOK, url, probability, text, status_code, now=runtime.clock.now())
    await _adopt_now(runtime)
    return WebhookFault(probability, status_code, text)


async def clear_faults(runtime: Runtime) -> int:
    """Remove every injected fault; returns how many there were."""
    require_sandbox(runtime)
    async with runtime.unit_of_work() as uow:
        removed = await uow.sandbox_settings.delete_faults(now=runtime.clock.now())
    await _adopt_now(runtime)
    return removed
