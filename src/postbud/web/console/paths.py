"""Every URL of the console, built in one place (templates get this module as ``paths``)."""

from __future__ import annotations

import uuid
from typing import Final

from postbud.web import navigation

query = navigation.query

ROOT: Final = "/console"
HOME: Final = f"{ROOT}/"
SIGN_IN: Final = f"{ROOT}/sign-in"
SIGN_OUT: Final = f"{ROOT}/sign-out"
FEED_STREAM: Final = f"{ROOT}/feed/stream"
ACTIVITY: Final = f"{ROOT}/activity"
LETTERS: Final = f"{ROOT}/letters"
PRINT: Final = f"{ROOT}/print"
WEBHOOKS: Final = f"{ROOT}/webhooks"
FAULTS: Final = f"{ROOT}/faults"
CHANNEL_FAULT: Final = f"{FAULTS}/channel"
WEBHOOK_FAULT: Final = f"{FAULTS}/webhook"
CLEAR_FAULTS: Final = f"{FAULTS}/clear"
CLOCK: Final = f"{ROOT}/clock"
ADVANCE_CLOCK: Final = f"{CLOCK}/advance"
RESET_CLOCK: Final = f"{CLOCK}/reset"
CAPTURES: Final = f"{ROOT}/captures"
EDI: Final = f"{ROOT}/edi"
RESET: Final = f"{ROOT}/reset"


def sign_in(next_url: str | None = None) -> str:
    return query(SIGN_IN, next=next_url if next_url != HOME else None)


def letter(shipment_id: uuid.UUID) -> str:
    return f"{LETTERS}/{shipment_id}"


def run_now(shipment_id: uuid.UUID) -> str:
    return f"{letter(shipment_id)}/run-now"


def print_again(shipment_id: uuid.UUID) -> str:
    return f"{letter(shipment_id)}/print-again"


def print_letter(shipment_id: uuid.UUID) -> str:
    return f"{PRINT}/{shipment_id}"


def print_pdf(shipment_id: uuid.UUID) -> str:
    return f"{print_letter(shipment_id)}/print.pdf"


def print_page(shipment_id: uuid.UUID, page: int, width: int) -> str:
    return f"{print_letter(shipment_id)}/pages/{page}.png?w={width}"


def redeliver(delivery_id: uuid.UUID) -> str:
    return f"{WEBHOOKS}/deliveries/{delivery_id}/redeliver"


def feed_stream(after: str) -> str:
    return query(FEED_STREAM, after=after)


def safe_next(candidate: str | None) -> str:
    """Where to go after signing in: a path inside the console, never another site."""
    return navigation.safe_next(candidate, root=ROOT, home=HOME)


def capture(event_id: uuid.UUID) -> str:
    """A captured e-mail or SMS, by the id of the event that records it."""
    return f"{CAPTURES}/{event_id}"


def capture_raw(event_id: uuid.UUID) -> str:
    return f"{capture(event_id)}/raw"


def capture_attachment(event_id: uuid.UUID, index: int) -> str:
    return f"{capture(event_id)}/attachments/{index}"
