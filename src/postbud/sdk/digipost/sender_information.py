"""What a sender may do (§12.5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["SenderFeature", "SenderInformation", "SenderStatus"]


class SenderStatus(StrEnum):
    NO_INFO_AVAILABLE = "NO_INFO_AVAILABLE"
    """Unknown sender, or the broker may not act for it."""
    VALID_SENDER = "VALID_SENDER"


@dataclass(frozen=True, slots=True)
class SenderFeature:
    name: str
    """E.g. ``no.digipost.feature.delivery.digipost-with-print-fallback``; ignore names you don't know."""
    param: str | None = None


@dataclass(frozen=True, slots=True)
class SenderInformation:
    sender_id: int | None
    status: SenderStatus
    features: tuple[SenderFeature, ...] = ()

    def has_feature(self, name: str) -> bool:
        return any(feature.name == name for feature in self.features)
