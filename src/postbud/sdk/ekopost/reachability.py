"""Reachability: who can be reached by which channel, the bank e-invoice receivers, the Peppol
directory, e-invoice readiness and the Norwegian eFaktura (mastercard) check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .wire import as_list, as_object, read_bool, read_text, without_nones

__all__ = ["EinvoiceReadiness", "MastercardPerson", "PeppolMatch"]


@dataclass(frozen=True, kw_only=True)
class MastercardPerson:
    """The person whose eFaktura reachability ``reachable/mastercard`` checks."""

    first_name: str | None = None
    last_name: str | None = None
    street_address1: str | None = None
    street_address2: str | None = None
    city: str | None = None
    zip_code: str | None = None
    country_code: str | None = None
    phone_number: str | None = None
    email: str | None = None
    birth_date: str | None = None
    ssn: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return without_nones(
            {name: getattr(self, name) for name in self.__dataclass_fields__}  # the seed's own names
        )


@dataclass(frozen=True, kw_only=True)
class EinvoiceReadiness:
    """``reachable/einvoiceready``: whether e-invoices can be sent between the two parties."""

    receiver_cin: str | None
    sender_cin: str | None
    receiver_gln: str | None
    sender_gln: str | None
    success: bool
    error_message: str | None

    @classmethod
    def from_wire(cls, wire: object) -> EinvoiceReadiness:
        data = {key.lower(): value for key, value in as_object(wire, "an e-invoice readiness").items()}
        return cls(
            receiver_cin=read_text(data.get("receiver_cin", data.get("receivercin"))),
            sender_cin=read_text(data.get("sender_cin", data.get("sendercin"))),
            receiver_gln=read_text(data.get("receiver_gln", data.get("receivergln"))),
            sender_gln=read_text(data.get("sender_gln", data.get("sendergln"))),
            success=bool(read_bool(data.get("success"))),
            error_message=read_text(data.get("error_message", data.get("errormessage"))),
        )


@dataclass(frozen=True, kw_only=True)
class PeppolMatch:
    """One match of a Peppol Directory search: the participant id (``0007:5568384118``) and names."""

    participant_id: str
    scheme: str | None
    names: list[str]
    country_code: str | None

    @classmethod
    def from_wire(cls, wire: object) -> PeppolMatch:
        data = as_object(wire, "a Peppol match")
        participant = as_object(data.get("participantID"), "a participant id")
        names: list[str] = []
        country = None
        for entity in as_list(data.get("entities", []), "entities"):
            entity_data: Mapping[str, Any] = as_object(entity, "an entity")
            country = country or read_text(entity_data.get("countryCode"))
            for name in as_list(entity_data.get("name", []), "names"):
                names.append(str(as_object(name, "a name").get("name", "")))
        return cls(
            participant_id=str(participant.get("value", "")),
            scheme=read_text(participant.get("scheme")),
            names=names,
            country_code=country,
        )
