"""Paying a Digipost invoice (NOK) records the same event as before bank e-invoices could be paid:
the same keys, the invoice-payment datatype, no bank e-invoice keys; its card reads as before."""

from __future__ import annotations

from typing import Any

from postbud.domain.events import EventType
from postbud.services.inbox.pay_invoice import bank_today
from postbud.services.sandbox.sample_letters import example_datatypes
from postbud.web.inbox.cards import sandbox_account
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]

NOK_PAYMENT_KEYS = {
    "document_id", "position", "kind", "datatype", "by", "amount", "currency", "payment_date", "due_date",
    "kid", "creditor_account", "debtor_account",
}  # fmt: skip


def test_a_nok_invoice_is_paid_and_recorded_as_before(world: World) -> None:
    invoice: dict[str, Any] = {"kind": "invoice", **example_datatypes(world.runtime.clock.now())["invoice"]}
    letter = world.send(world.ola, "Faktura", datatype=invoice)
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{letter.id}").text
    assert "card--bank-invoice" not in page
    assert "Betal 1\u00a0249,50\u00a0kr" in page
    form = {
        "from_account": sandbox_account(world.ola.id),
        "pay_on": bank_today(world.runtime.clock.now()).isoformat(),
    }
    assert world.post(f"/inbox/letters/{letter.id}/pay", form).status_code == 303
    (payment,) = [e for e in world.events(letter) if e.type is EventType.PAYMENT_REGISTERED]
    assert set(payment.data) == NOK_PAYMENT_KEYS
    assert payment.data["currency"] == "NOK"
    assert payment.data["kid"] == invoice["kid"]
    assert payment.data["datatype"]["debtor_account"] == sandbox_account(world.ola.id)
    paid = world.client.get(f"/inbox/letters/{letter.id}").text
    account = sandbox_account(world.ola.id)
    assert f"Fra konto {account[:4]}.{account[4:6]}.{account[6:]}" in paid
