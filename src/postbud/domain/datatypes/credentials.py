"""`verifiable-credential-notice` and `verifiable-presentation-notice`."""

from __future__ import annotations

from typing import ClassVar

from .common import DataTypeBase


class VerifiableCredentialNotice(DataTypeBase):
    kind: ClassVar[str] = "verifiable-credential-notice"

    title: str | None = None
    description: str | None = None


class VerifiablePresentationNotice(DataTypeBase):
    kind: ClassVar[str] = "verifiable-presentation-notice"

    title: str
    description: str
