"""How a letter is laid out for print, per letter: the envelope window, where the address comes from,
a protected identity, and registered post with its tracking.

These add to the Digipost-shaped ``PrintInstructions`` (colour, duplex, postage, return address), which
every dialect already fills. Measurements are millimetres from the top-left corner of an A4 sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed

_A4_WIDTH_MM = 210.0
_A4_HEIGHT_MM = 297.0


@dataclass(frozen=True, slots=True)
class EnvelopeWindow:
    """Where the envelope's window shows the sheet: ``left``/``top`` from the top-left corner, in mm."""

    left: float
    top: float
    width: float
    height: float

    def __post_init__(self) -> None:
        inside = (
            self.left >= 0
            and self.top >= 0
            and self.width > 0
            and self.height > 0
            and self.left + self.width <= _A4_WIDTH_MM
            and self.top + self.height <= _A4_HEIGHT_MM
        )
        if not inside:
            raise ValidationFailed.of(
                "window", "the window must lie on an A4 sheet (210 × 297 mm)", RuleCode.INVALID
            )


LEFT_WINDOW = EnvelopeWindow(left=20.0, top=40.0, width=85.0, height=40.0)
"""The left window of a Norwegian C5/E65 envelope (Digipost's print)."""
RIGHT_WINDOW = EnvelopeWindow(left=112.0, top=35.0, width=95.0, height=36.0)
"""A right-hand window, as Swedish print houses (Ekopost) use."""


class AddressPlacement(StrEnum):
    COVER_PAGE = "cover_page"
    """The print house adds a cover sheet with the address in the window."""
    DOCUMENT = "document"
    """The address is printed on the letter's first page, inside the window; no cover sheet."""


class TrackingState(StrEnum):
    """Where a registered letter is, as the postal operator's tracking reports it."""

    REGISTERED = "registered"
    """Handed in and given its tracking number."""
    IN_TRANSIT = "in_transit"
    AWAITING_PICKUP = "awaiting_pickup"
    """At the post office: the recipient must sign for it."""
    DELIVERED = "delivered"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class PrintLayout:
    window: EnvelopeWindow | None = None
    """None: the deployment's envelope."""
    address_placement: AddressPlacement | None = None
    """None: as ``PrintInstructions.cover_page`` says."""
    protected_identity: bool = False
    """The recipient's address is secret: the envelope shows only their identifier, never an address,
    and the print house (which holds the address) addresses the outer envelope itself."""
    protected_identifier: str | None = None
    """What the window shows for a protected identity; None: the letter's recipient identifier."""

    def __post_init__(self) -> None:
        errors: list[FieldError] = []
        if self.protected_identifier is not None and not self.protected_identity:
            errors.append(
                FieldError("protected_identifier", "only for a protected identity", RuleCode.INVALID)
            )
        if self.protected_identifier is not None and not self.protected_identifier.strip():
            errors.append(FieldError("protected_identifier", "must not be empty", RuleCode.EMPTY))
        if errors:
            raise ValidationFailed(errors)
