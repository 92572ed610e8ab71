"""An amount typed on the pay form is read in the reader's own language (TestClient)."""

from __future__ import annotations

from decimal import Decimal

from postbud.domain.events import EventType
from tests.integration.test_inbox_actions import _example, _pay_form
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]


def test_an_english_reader_pays_1_234_dot_50_and_a_comma_decimal_is_refused(world: World) -> None:
    inkasso = _example(world, "inkasso")
    del inkasso["sum"]
    letter = world.send(world.ola, "Debt collection", datatype=inkasso)
    world.sign_in(world.ola)
    world.client.get("/inbox/?lang=en")
    refused = world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world, amount="1234,50"))
    assert refused.status_code == 400, "in English 1234,50 is no amount, and is not read as 123450"
    assert world.count(letter, EventType.PAYMENT_REGISTERED) == 0
    world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world, amount="1,234.50"))
    (payment,) = [e for e in world.events(letter) if e.type is EventType.PAYMENT_REGISTERED]
    assert Decimal(payment.data["amount"]) == Decimal("1234.50")
    assert "Paid 1,234.50\u00a0NOK" in world.client.get(f"/inbox/letters/{letter.id}").text
