"""`signedDocument`: the document is a signed copy of an agreement."""

from __future__ import annotations

from typing import ClassVar

from .common import DataTypeBase, ZonedDateTime


class SignedDocument(DataTypeBase):
    kind: ClassVar[str] = "signedDocument"

    document_issuer: str
    document_subject: str
    signing_time: ZonedDateTime
