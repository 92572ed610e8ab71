"""Datatype cards: what a letter's datatype (and data added to it later) looks like in the inbox.

Each card is a template ``inbox/cards/<kind>.html`` given the validated datatype as ``model`` and
whatever else it needs as ``extra``: the payment state of an invoice, the calendar and map links of
an appointment, the sharing state and the letters to choose from for a sharing request. A bank
e-invoice (Ekopost's ebank, eFaktura) has no datatype: its card ``bank-invoice`` shows the letter's
neutral invoice details.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote_plus

from postbud.domain.datatypes import (
    Address,
    Appointment,
    DataType,
    DataTypeInvalid,
    Event,
    PickupNotice,
    datatype_from_dict,
)
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import generate_norwegian_account
from postbud.domain.identifiers.swedish_account import generate_swedish_bank_account
from postbud.domain.invoices import InvoiceDetails
from postbud.services.inbox.calendar import address_text
from postbud.services.inbox.pay_invoice import (
    PAYABLE_KINDS,
    bank_invoice_of,
    bank_today,
    bill_of,
    payment_of,
)
from postbud.services.inbox.query import Letter, shareable_letters
from postbud.services.inbox.sharing import sharing_state
from postbud.services.runtime import Runtime
from postbud.web.inbox import paths
from postbud.web.inbox.bill_text import creditor_account_text, payer_account_text

MAP_SEARCH: Final = "https://www.openstreetmap.org/search?query="
_FOLLOW_UP_EVENTS: Final = frozenset({EventType.DATA_ADDED, EventType.PAYMENT_REGISTERED})


@dataclass(frozen=True, slots=True)
class Problems:
    """What went wrong with a form on a card: a summary, and messages by field name."""

    summary: str
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Card:
    kind: str
    model: DataType | InvoiceDetails
    extra: Mapping[str, Any] = field(default_factory=dict)
    added_at: datetime | None = None
    """For data the sender added after sending: when."""
    anchor: str = "card"
    """The card heading's element id, unique on the page."""

    @property
    def template(self) -> str:
        return f"inbox/cards/{self.kind}.html"


def map_url(*parts: str | None) -> str | None:
    text = ", ".join(part for part in parts if part)
    return MAP_SEARCH + quote_plus(text) if text else None


def sandbox_account(recipient_id: uuid.UUID, currency: str = "NOK") -> str:
    """A stable, valid account number to pay from (a Swedish one for SEK), so the sandbox form is
    ready to submit."""
    rng = random.Random(f"account-{recipient_id}")
    return generate_swedish_bank_account(rng) if currency == "SEK" else generate_norwegian_account(rng)


def _paid(payment: ShipmentEvent) -> dict[str, Any]:
    account = str(payment.data.get("debtor_account", ""))
    currency = str(payment.data.get("currency") or "NOK")
    return {
        "amount": Decimal(str(payment.data["amount"])),
        "currency": currency,
        "pay_on": date.fromisoformat(str(payment.data["payment_date"])),
        "account": account,
        "account_text": payer_account_text(currency, account),
        "at": payment.at,
    }


def _payment_extra(runtime: Runtime, letter: Letter, recipient_id: uuid.UUID) -> dict[str, Any]:
    """What the pay form under an invoice needs: the bill, the payment if made, the form's defaults."""
    shipment = letter.shipment
    payment = payment_of(letter)
    bill = bill_of(shipment)
    return {
        "bill": bill,
        "paid": _paid(payment) if payment else None,
        "today": bank_today(runtime.clock.now(), runtime.settings.regional()).isoformat(),
        "default_account": sandbox_account(recipient_id, bill.currency if bill else "NOK"),
        "action": paths.action(shipment.id, "pay"),
    }


def _bank_invoice_card(runtime: Runtime, letter: Letter, recipient_id: uuid.UUID) -> Card | None:
    invoice = bank_invoice_of(letter.shipment)
    if invoice is None:
        return None
    account = invoice.account
    extra = {
        **_payment_extra(runtime, letter, recipient_id),
        "account_text": creditor_account_text(account.kind, account.number) if account else None,
        "overdue": invoice.due_date < bank_today(runtime.clock.now(), runtime.settings.regional()),
    }
    return Card("bank-invoice", invoice, extra)


def _place(address: Address | None, place: str | None) -> dict[str, Any]:
    text = address_text(address)
    return {"address_text": text, "map_url": map_url(place, text) if text else map_url(place)}


async def _extra(
    runtime: Runtime, letter: Letter, model: DataType, recipient_id: uuid.UUID, upload_limit: int
) -> dict[str, Any]:
    shipment = letter.shipment
    if model.kind in PAYABLE_KINDS:
        return _payment_extra(runtime, letter, recipient_id)
    if isinstance(model, Appointment | Event):
        return {**_place(model.address, model.place), "calendar_url": paths.calendar(shipment.id)}
    if isinstance(model, PickupNotice):
        return _place(model.pickup_place.address, model.pickup_place.name)
    if model.kind == "share-documents-request":
        state = await sharing_state(runtime, shipment.id)
        origins = state.allowed_origin_organisation_numbers
        choices = await shareable_letters(runtime, recipient_id, exclude=shipment.id, origins=origins)
        shared = {d.source_document_id for d in state.documents}
        return {
            "state": state,
            "choices": choices,
            "shared_ids": shared,
            "uploads_allowed": not origins,
            "upload_limit": upload_limit,
            "share_action": paths.action(shipment.id, "share"),
            "withdraw_action": paths.action(shipment.id, "withdraw"),
        }
    return {}


def _follow_ups(letter: Letter) -> list[Card]:
    """The latest datatype of each kind the sender added later (not the recipient's own payment)."""
    latest: dict[str, Card] = {}
    for event in letter.events:
        payload = event.data.get("datatype")
        if event.type not in _FOLLOW_UP_EVENTS or event.data.get("by") == "recipient":
            continue
        if not isinstance(payload, dict) or not isinstance(payload.get("kind"), str):
            continue
        try:
            model = datatype_from_dict(payload["kind"], payload)
        except DataTypeInvalid:
            continue
        latest[model.kind] = Card(model.kind, model, added_at=event.at)
    return list(latest.values())


async def letter_cards(
    runtime: Runtime, letter: Letter, recipient_id: uuid.UUID, upload_limit: int
) -> list[Card]:
    cards: list[Card] = []
    datatype = letter.shipment.primary.datatype
    if datatype and isinstance(datatype.get("kind"), str):
        try:
            model = datatype_from_dict(datatype["kind"], datatype)
        except DataTypeInvalid:
            model = None
        if model is not None:
            extra = await _extra(runtime, letter, model, recipient_id, upload_limit)
            cards.append(Card(model.kind, model, extra))
    if not cards and (bank_card := _bank_invoice_card(runtime, letter, recipient_id)) is not None:
        cards.append(bank_card)
    return [replace(card, anchor=f"card-{i}") for i, card in enumerate(cards + _follow_ups(letter), start=1)]
