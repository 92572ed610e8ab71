"""`signedDocument`: the document is a signed copy of an agreement."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .common import DataTypeBase, ZonedDateTime


class SignedDocument(DataTypeBase):
    kind: ClassVar[str] = "signedDocument"

    document_issuer: str = Field(alias="document-issuer")
    document_subject: str = Field(alias="document-subject")
    signing_time: ZonedDateTime = Field(alias="signing-time")
