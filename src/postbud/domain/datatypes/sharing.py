"""Document sharing ("Digipost Control"): the request, the internal shared event and the stop signal."""

from __future__ import annotations

from typing import ClassVar

from .common import DataTypeBase, Int64


class ShareDocumentsRequest(DataTypeBase):
    kind: ClassVar[str] = "share-documents-request"

    max_share_duration_seconds: Int64
    purpose: str
    """Short consent prompt; the primary document explains in detail."""
    allowed_origin_organisation_numbers: tuple[str, ...] = ()


class ShareDocumentsRequestDocumentsShared(DataTypeBase):
    kind: ClassVar[str] = "share-documents-request-documents-shared"

    document_ids: tuple[Int64, ...] = ()


class ShareDocumentsRequestSharingStopped(DataTypeBase):
    kind: ClassVar[str] = "share-documents-request-sharing-stopped"
