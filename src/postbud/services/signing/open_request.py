"""Closing a letter that must be signed: its signing request is stored in the same transaction.

A signer with an inbox signs there; anyone else on the signing page their invitation links to,
after an e-ID login that proves their national identity number. The document they sign is the
letter's primary document, a PDF. Nothing is sent yet: the signers are invited when the letter
is released (``start.py``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.ids import new_id
from postbud.domain.shipments import Shipment
from postbud.domain.signing import Signer, SigningInput, SigningRequest, signing_errors
from postbud.services.letters.drafts import close_draft
from postbud.services.letters.letter_request import Accepted
from postbud.services.runtime import Runtime
from postbud.storage.repos.signing import signing_rows
from postbud.storage.writeset import WriteSet


async def registered_signers(
    runtime: Runtime, signing: SigningInput, field: str = "signing"
) -> tuple[Signer, ...]:
    """The signers, each with their inbox if the registry knows one (they sign there) and the name it
    has for them; anyone else signs by e-ID on the page their invitation links to."""
    errors = signing_errors(signing, field)
    if errors:
        raise ValidationFailed(errors)
    signers: list[Signer] = []
    async with runtime.reader() as uow:
        for position, wanted in enumerate(signing.signers):
            person = await uow.recipients.by_party_id(wanted.party)
            has_inbox = person is not None and (
                person.capabilities.digital_mailbox or person.capabilities.business_inbox
            )
            signers.append(
                Signer(
                    position,
                    wanted.party,
                    person.id if person is not None and has_inbox else None,
                    (person.name if person is not None else None) or wanted.party.value,
                    wanted.email,
                    wanted.issuer,
                )
            )
    return tuple(signers)


def _signed_document_of(shipment: Shipment) -> str:
    primary = next((d for d in shipment.documents if d.position == 0), None)
    if primary is None:
        raise ValidationFailed.of("documents", "a letter to sign needs its document", RuleCode.REQUIRED)
    if primary.file_type.lower() != "pdf":
        raise ValidationFailed.of(
            "documents[0].file_type", "a document to sign must be a PDF", RuleCode.FILE_TYPE
        )
    return primary.sha256


async def close_for_signing(
    sender_id: uuid.UUID, shipment_id: uuid.UUID, signing: SigningInput, runtime: Runtime
) -> Accepted:
    """Close the draft as ``close_draft`` does, with its signing request in the same transaction."""
    signers = await registered_signers(runtime, signing)
    request_id = new_id()

    def rows(shipment: Shipment, ws: WriteSet, now: datetime) -> None:
        request = SigningRequest(
            id=request_id,
            shipment_id=shipment.id,
            sender_id=shipment.sender_id,
            info_email=signing.info_email,
            document_sha256=_signed_document_of(shipment),
            signers=signers,
            created_at=now,
        )
        signing_rows(request, ws)

    return await close_draft(sender_id, shipment_id, runtime, extra_rows=rows)
