"""Closing a letter that must be signed: its signing request is stored in the same transaction.

Each signer must be a person of the registry with an inbox (they sign in there, with the sandbox
e-ID, which signs in inbox owners); the document they sign is
the letter's primary document, a PDF. Nothing is sent yet: the signers are invited when the letter
is released (``start.py``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
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
    """The signers as the registry knows them; an unknown one is UNKNOWN_RECIPIENT (by field)."""
    errors = signing_errors(signing, field)
    if errors:
        raise ValidationFailed(errors)
    signers: list[Signer] = []
    missing: list[FieldError] = []
    async with runtime.reader() as uow:
        for position, wanted in enumerate(signing.signers):
            person = await uow.recipients.by_party_id(wanted.party)
            if person is None or not (
                person.capabilities.digital_mailbox or person.capabilities.business_inbox
            ):
                why = "is not in the registry" if person is None else "has no inbox"
                missing.append(
                    FieldError(
                        f"{field}.signers[{position}].recipient",
                        f"{wanted.party.value} {why}, so cannot sign in one with the sandbox e-ID",
                        RuleCode.UNKNOWN_RECIPIENT,
                    )
                )
                continue
            signers.append(
                Signer(
                    position,
                    wanted.party,
                    person.id,
                    person.name or wanted.party.value,
                    wanted.email,
                    wanted.issuer,
                )
            )
    if missing:
        raise ValidationFailed(missing)
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
