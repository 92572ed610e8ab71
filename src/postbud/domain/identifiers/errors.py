"""The one error every identifier validator raises."""

from __future__ import annotations


class InvalidIdentifier(ValueError):
    """An identifier broke a format or check-digit rule.

    ``rule`` is a short sentence naming the broken rule, fit to show to the user.
    """

    kind: str
    value: str
    rule: str

    def __init__(self, kind: str, value: str, rule: str) -> None:
        # Passing all three to ValueError keeps the exception picklable.
        super().__init__(kind, value, rule)
        self.kind = kind
        self.value = value
        self.rule = rule

    def __str__(self) -> str:
        return f"invalid {self.kind} {self.value!r}: {self.rule}"
