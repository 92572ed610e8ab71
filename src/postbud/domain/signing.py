"""A letter whose document must be signed by a list of people before it is delivered.

The letter itself goes, once every signer has signed, to one e-mail address (the party that asked
for the signatures) with the signed document attached. Each signer is a person named by their
national identity number: one with an inbox signs there, anyone else on the signing page their
e-mail links to, after an e-ID login that proves that number; at most one of them is the issuer. Who
signed, when, and the SHA-256 of the document they saw is recorded once per signer as a ``signed``
event of the letter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from postbud.domain.errors import (
    Conflict,
    ConflictCode,
    FieldError,
    NotPermitted,
    PermissionCode,
    RuleCode,
)
from postbud.domain.identifiers import PartyId

SignerLogin = uuid.UUID | PartyId
"""How a person shows who they are: signed in to their inbox (its recipient id), or through an e-ID
login that proved their national identity number."""

MAX_SIGNERS: Final = 20
"""The most signers one document may have (real e-signing services allow a few dozen)."""


@dataclass(frozen=True, slots=True)
class SignerInput:
    """One signer as the sender names them: their national identity number and e-mail address."""

    party: PartyId
    email: str
    issuer: bool = False


@dataclass(frozen=True, slots=True)
class SigningInput:
    """What a sender asks: who must sign, and where the signed document goes."""

    info_email: str
    signers: tuple[SignerInput, ...]


@dataclass(frozen=True, slots=True)
class Signer:
    position: int
    party: PartyId
    recipient_id: uuid.UUID | None
    """The signer's inbox (their row in the registry), if they have one; else they sign by e-ID."""
    name: str
    email: str
    issuer: bool
    signed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SigningRequest:
    id: uuid.UUID
    shipment_id: uuid.UUID
    sender_id: uuid.UUID
    info_email: str
    document_sha256: str
    """The document every signer signs: the letter's primary document."""
    signers: tuple[Signer, ...]
    created_at: datetime
    opened_at: datetime | None = None
    """When the letter was released and the signers invited; nobody may sign before."""
    signed_sha256: str | None = None
    """The signed document, once every signer has signed and it was produced."""
    completed_at: datetime | None = None
    """When the signed document went to ``info_email``."""

    @property
    def all_signed(self) -> bool:
        return all(s.signed_at is not None for s in self.signers)

    def signer_of(self, recipient_id: uuid.UUID) -> Signer | None:
        return next((s for s in self.signers if s.recipient_id == recipient_id), None)

    def signer_by_party(self, party: PartyId) -> Signer | None:
        """The signer an e-ID login proved to be ``party`` (their national identity number)."""
        return next((s for s in self.signers if s.party == party), None)

    def signer_logged_in_as(self, who: SignerLogin) -> Signer | None:
        return self.signer_of(who) if isinstance(who, uuid.UUID) else self.signer_by_party(who)


def signing_errors(request: SigningInput, field: str = "signing") -> list[FieldError]:
    """The rules of a signing request that need no registry: signers, issuer, duplicates."""
    errors: list[FieldError] = []
    if not request.signers:
        errors.append(FieldError(f"{field}.signers", "at least one signer is needed", RuleCode.TOO_FEW))
    if len(request.signers) > MAX_SIGNERS:
        errors.append(FieldError(f"{field}.signers", f"at most {MAX_SIGNERS} signers", RuleCode.TOO_MANY))
    if sum(s.issuer for s in request.signers) > 1:
        errors.append(FieldError(f"{field}.signers", "only one signer may be the issuer", RuleCode.INVALID))
    seen: set[PartyId] = set()
    for index, signer in enumerate(request.signers):
        if signer.party in seen:
            errors.append(
                FieldError(
                    f"{field}.signers[{index}].recipient",
                    f"{signer.party.value} is named twice",
                    RuleCode.NOT_UNIQUE,
                )
            )
        seen.add(signer.party)
    return errors


def signer_who_may_sign(request: SigningRequest, who: SignerLogin) -> Signer:
    """The signer ``who`` is, if they may sign now; otherwise why not."""
    signer = request.signer_logged_in_as(who)
    if signer is None:
        raise NotPermitted("only the document's signers may sign it", PermissionCode.NOT_OWNER)
    if request.opened_at is None:
        raise Conflict("signing", "the document is not yet out for signing", ConflictCode.NOT_YET)
    if signer.signed_at is not None:
        raise Conflict("signing", "you have signed this document already", ConflictCode.ALREADY_DONE)
    return signer


def signed_key(position: int) -> str:
    """The dedup key of a signer's ``signed`` event: each signer signs once."""
    return f"signed:{position}"


def invitation_key(position: int) -> str:
    """The dedup key of the e-mail that asks a signer to sign: sent once per signer."""
    return f"signing-invitation:{position}"
