"""Issue 12 defect 9: a refused account number in the pay form says which rule it broke — its
characters, its length (11 digits) or its MOD11 check digit — in bokmål and English."""

from __future__ import annotations

from typing import Any

import pytest

from postbud.services.inbox.pay_invoice import bank_today
from postbud.services.sandbox.sample_letters import example_datatypes
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]


def _refusal(world: World, account: str, lang: str) -> str:
    invoice: dict[str, Any] = {"kind": "invoice", **example_datatypes(world.runtime.clock.now())["invoice"]}
    letter = world.send(world.ola, "Faktura", datatype=invoice)
    world.sign_in(world.ola)
    world.client.get(f"/inbox/?lang={lang}")
    form = {"from_account": account, "pay_on": bank_today(world.runtime.clock.now()).isoformat()}
    response = world.post(f"/inbox/letters/{letter.id}/pay", form)
    assert response.status_code == 400, response.text
    error = response.text.split('id="error-from_account"', 1)[1].split("</", 1)[0]
    return error


@pytest.mark.parametrize(
    ("account", "lang", "says"),
    [
        (
            "1234.56.78901",
            "nb",
            "Kontrollsifferet (det siste sifferet) stemmer ikke med de ti første (MOD11)",
        ),
        ("12345678901", "en", "The check digit (the last digit) does not match the first ten (MOD11)"),
        ("1234 56 7890", "nb", "Et kontonummer har 11 siffer; dette har 10."),
        ("123456789012", "en", "An account number has 11 digits; this one has 12."),
        ("1234-56-78903", "en", "may contain only digits"),
    ],
)
def test_the_pay_form_names_the_account_rule_that_failed(
    world: World, account: str, lang: str, says: str
) -> None:
    error = _refusal(world, account, lang)
    assert says in error
    assert "(11 digits)" not in error
    assert "(11 siffer)" not in error
