"""`verifiable-credential-notice` and `verifiable-presentation-notice`."""

from __future__ import annotations

from typing import ClassVar

from .common import DataTypeBase, ZonedDateTime


class VerifiableCredentialNotice(DataTypeBase):
    """A credential (a licence, a certificate) issued to the recipient, ready for their wallet."""

    kind: ClassVar[str] = "verifiable-credential-notice"

    credential_id: str | None = None
    """The issuer's id of the credential. Digipost required it until 2026 and then dropped it, with
    the two validity times; a notice of either generation is accepted."""
    valid_from: ZonedDateTime | None = None
    valid_until: ZonedDateTime | None = None
    title: str | None = None
    description: str | None = None


class VerifiablePresentationNotice(DataTypeBase):
    kind: ClassVar[str] = "verifiable-presentation-notice"

    title: str
    description: str
