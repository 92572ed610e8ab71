"""The registry look-ups some address types need before an envelope is made: ``lookup`` takes the
person's address from the population register (Postbud's recipient registry) and becomes postal;
``ebank`` needs a registered FUI (124) whose holder takes bank e-invoices (125); every signer of
``einbox_signer`` must be a person of the registry, who signs in the inbox (119)."""

from __future__ import annotations

from dataclasses import replace

from postbud.dialects.ekopost.envelope_address import EBANK, EINBOX_SIGNER, LOOKUP, POSTAL, EnvelopeAddress
from postbud.dialects.ekopost.errors import EkopostError
from postbud.dialects.ekopost.signer import signing_of
from postbud.domain.errors import NotFound, ValidationFailed
from postbud.domain.parties import Recipient
from postbud.domain.routing import takes_bank_invoices
from postbud.services.parties.recipients import get_recipient
from postbud.services.runtime import Runtime
from postbud.services.signing.open_request import registered_signers


async def _registered(runtime: Runtime, address: EnvelopeAddress) -> Recipient | None:
    assert address.recipient is not None
    try:
        return await get_recipient(str(address.recipient), runtime)
    except NotFound:
        return None


async def resolved(runtime: Runtime, address: EnvelopeAddress) -> EnvelopeAddress:
    if address.type == LOOKUP:
        person = await _registered(runtime, address)
        found = person.capabilities.postal_address if person is not None else None
        if person is None or found is None:
            raise EkopostError(
                "119",
                f"address.recipient: {address.wire['recipient']} has no address in the population register",
            )
        postal = replace(found, name=found.name or person.name)
        wire = {
            "$type": POSTAL,
            "name": [postal.name],
            "street": list(postal.lines),
            "postal_code": postal.postal_code,
            "city": postal.city,
            "country": postal.country or None,
            "use_coverpage": True,
        }
        return replace(address, type=POSTAL, wire=wire, postal=postal, recipient=None, cover_page=True)
    if address.type == EINBOX_SIGNER:
        try:
            await registered_signers(runtime, signing_of(address.wire), field="address")
        except ValidationFailed as exc:
            raise EkopostError("119", str(exc.first)) from None
    if address.type == EBANK:
        holder = await _registered(runtime, address)
        if holder is None:
            raise EkopostError("124", f"address.recipient: FUI {address.wire['recipient']} is not registered")
        if not takes_bank_invoices(holder):
            raise EkopostError(
                "125",
                f"address.recipient: nobody receives bank e-invoices by FUI {address.wire['recipient']}",
            )
    return address
