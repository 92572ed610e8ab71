"""The ``shipment.registration_request`` job: ask the person, by SMS and e-mail, to get a mailbox.

It goes to the request's own number and address, else to the ones on record for the person. Each
channel gets one outcome event, REGISTRATION_REQUESTED or REGISTRATION_FAILED, keyed by the
channel; a transient error leaves it open and the job retries; when the job gives up, the open
ones fail. With nowhere to send it, the request fails at once. Either way the letter waits for
its deadline: the person may still register.
"""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import Rejected
from postbud.channels.notify import Notifier
from postbud.domain.channels import Channel
from postbud.domain.documents import Sensitivity
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.regional import NORWAY
from postbud.domain.shipments import Shipment
from postbud.services.letters.record_event import record_events_for
from postbud.services.registration.at_send import awaits_registration, recipient_of
from postbud.services.runtime import Runtime

_NOWHERE = "no mobile number or e-mail address to send the request to"


def outcome_key(channel: Channel | None) -> str:
    return f"registration-request:{channel.value if channel else 'none'}"


def request_text(
    shipment: Shipment, sender_name: str, register_url: str, zone: ZoneInfo = NORWAY.zone
) -> tuple[str, str]:
    """Subject and text of the request; for a sensitive letter it does not name the sender.

    The deadline is shown in ``zone``: the sender's region's (``Sender.regional``).
    """
    assert shipment.registration is not None
    when = shipment.registration.deadline.astimezone(zone).strftime("%d.%m.%Y %H:%M")
    who = "Someone" if shipment.primary.sensitivity is Sensitivity.SENSITIVE else sender_name
    text = f"{who} has sent you a letter. Get a digital mailbox in Postbud before {when} to read it there"
    return f"{who} has sent you a letter", f"{text}: {register_url}"


def request_targets(shipment: Shipment, recipient: Recipient | None) -> list[tuple[Channel, str]]:
    """Where the request goes: the request's own number and address, else those on record."""
    assert shipment.registration is not None
    caps = recipient.capabilities if recipient else None
    mobile = shipment.registration.mobile or (caps.mobile if caps else None)
    email = shipment.registration.email or (caps.email if caps else None)
    return [(c, address) for c, address in ((Channel.SMS, mobile), (Channel.EMAIL, email)) if address]


async def request_registration(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or not awaits_registration(shipment):
            return
        recipient = await recipient_of(uow.recipients, shipment)
        sender = await uow.senders.get(shipment.sender_id)
        done = {e.dedup_key for e in await uow.events.for_shipment(shipment_id)}
    targets = request_targets(shipment, recipient)
    if not targets:
        await record_events_for(runtime, shipment_id, [_failed(None, None, _NOWHERE)])
        return
    register_url = runtime.settings.resolved_public_url + "/inbox/"
    deployment = runtime.settings.regional()
    zone = (sender.regional(deployment) if sender else deployment).zone
    subject, text = request_text(shipment, sender.name if sender else "A sender", register_url, zone)
    drafts: list[EventDraft] = []
    deferred: list[str] = []
    for channel, address in targets:
        if outcome_key(channel) in done:
            continue
        key = f"registration.{shipment.id}.{channel.value}"
        try:
            data = await _send(runtime, channel, address, subject, text, key)
        except Rejected as exc:
            drafts.append(_failed(channel, address, exc.reason))
        except DeliveryFailed as exc:
            deferred.append(f"registration request by {channel}: {exc.reason}")
        else:
            drafts.append(EventDraft(EventType.REGISTRATION_REQUESTED, channel, data, outcome_key(channel)))
    await record_events_for(runtime, shipment_id, drafts)
    if deferred:
        raise DeliveryFailed("; ".join(deferred))


async def give_up_registration_request(shipment_id: uuid.UUID, runtime: Runtime, error: str) -> None:
    """The job's last attempt failed: every channel still without an outcome failed."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or shipment.registration is None:
            return
        recipient = await recipient_of(uow.recipients, shipment)
    targets = request_targets(shipment, recipient)
    await record_events_for(
        runtime, shipment_id, [_failed(channel, address, error) for channel, address in targets]
    )


async def _send(
    runtime: Runtime, channel: Channel, address: str, subject: str, text: str, key: str
) -> dict[str, Any]:
    notifier = runtime.channels.get(channel)
    if not isinstance(notifier, Notifier):
        raise Rejected(f"the {channel} channel cannot send messages in this deployment")
    return await notifier.send_notice(address, subject, text, key)


def _failed(channel: Channel | None, address: str | None, reason: str) -> EventDraft:
    data = {"channel": channel.value if channel else None, "address": address, "error": reason}
    return EventDraft(EventType.REGISTRATION_FAILED, channel, data, outcome_key(channel))
