"""Paying an invoice or debt-collection notice from its card."""

from __future__ import annotations

from datetime import date
from decimal import InvalidOperation
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import Conflict, ConflictCode, ValidationFailed
from postbud.services.inbox.open_letter import OpeningReceiptPending, StepUpRequired
from postbud.services.inbox.pay_invoice import PaymentOrder, bill_of, pay_invoice
from postbud.web.context import web_context
from postbud.web.formatting import parse_amount
from postbud.web.forms import text_field
from postbud.web.inbox import paths
from postbud.web.inbox.cards import Problems
from postbud.web.inbox.letter import gate, letter_for_change, letter_id_of, render_letter
from postbud.web.inbox.render import flash
from postbud.web.navigation import see_other
from postbud.web.signin import Identity
from postbud.web.templating import request_language

ACCOUNT_DIGITS: Final = 11
_FIELD_MESSAGES: Final = {
    "amount": "pay.error.amount",
    "from_account": "pay.error.from_account",
    "pay_on": "pay.error.pay_on",
    "account": "pay.error.account",
}


def _message_key(field: str, fixed_amount: bool, account: str, currency: str) -> str:
    if field == "amount" and fixed_amount:
        return "pay.error.amount_fixed"
    if field == "from_account" and currency == "SEK":
        return "pay.error.from_account_se"
    if field == "from_account":
        return _account_rule(account)
    return _FIELD_MESSAGES.get(field, "pay.error.generic")


def _account_rule(typed: str) -> str:
    """Which rule a refused account number broke: its characters, its length (11) or its MOD11 check digit."""
    number = "".join(typed.split()).replace(".", "")
    if not (number.isascii() and number.isdigit()):
        return "pay.error.from_account_digits"
    if len(number) != ACCOUNT_DIGITS:
        return "pay.error.from_account_length"
    return "pay.error.from_account_check_digit"


class _Unreadable(ValueError):
    def __init__(self, field: str) -> None:
        self.field = field


def _order(form: FormData, lang: str) -> PaymentOrder:
    account = text_field(form, "from_account", max_length=20) or ""
    try:
        pay_on = date.fromisoformat(text_field(form, "pay_on", max_length=10) or "")
    except ValueError:
        raise _Unreadable("pay_on") from None
    raw_amount = text_field(form, "amount", max_length=16)
    amount = None
    if raw_amount is not None:
        try:
            amount = parse_amount(raw_amount, lang)
        except InvalidOperation:
            raise _Unreadable("amount") from None
        if not amount.is_finite():
            raise _Unreadable("amount")
    return PaymentOrder(from_account="".join(account.split()).replace(".", ""), pay_on=pay_on, amount=amount)


async def _refused(request: Request, identity: Identity, problems: Problems, status: int) -> Response:
    letter = await letter_for_change(request, identity)
    return await render_letter(request, identity, letter, problems=problems, status=status)


async def pay(request: Request, form: FormData, identity: Identity) -> Response:
    web = web_context(request)
    letter_id = letter_id_of(request)
    summary = web.pages.text(request, "pay.error.summary")
    try:
        order = _order(form, request_language(request))
        await pay_invoice(web.runtime, identity.recipient_id, letter_id, order, identity.level)
    except (StepUpRequired, OpeningReceiptPending) as exc:
        return gate(request, exc, letter_id)
    except _Unreadable as exc:
        message = web.pages.text(request, _FIELD_MESSAGES[exc.field])
        return await _refused(request, identity, Problems(summary, {exc.field: message}), 400)
    except ValidationFailed as exc:
        letter = await letter_for_change(request, identity)
        bill = bill_of(letter.shipment)
        fixed_amount = bill is not None and bill.amount is not None
        currency = bill.currency if bill is not None else "NOK"
        typed = text_field(form, "from_account", max_length=20) or ""
        digits = sum(c.isdigit() for c in typed)
        fields = {
            e.field: web.pages.text(
                request, _message_key(e.field, fixed_amount, typed, currency), count=digits
            )
            for e in exc.errors
        }
        return await render_letter(request, identity, letter, problems=Problems(summary, fields), status=400)
    except Conflict as exc:
        key = "pay.error.already_paid" if exc.code is ConflictCode.ALREADY_DONE else "pay.error.not_payable"
        return await _refused(request, identity, Problems(web.pages.text(request, key)), 409)
    flash(request, "pay.done")
    return see_other(paths.letter(letter_id))
