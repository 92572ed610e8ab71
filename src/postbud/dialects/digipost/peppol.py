"""A message to a Peppol participant: the receiver's address and the rule that its content is XML.

Digipost hands such a message to the Peppol network (delivery-method ``PEPPOL``); Postbud routes it
to the core's e-invoice channel, which in the sandbox captures it. The receiver must be a
participant the registry knows as taking e-invoices, else ``UNKNOWN_PEPPOL_RECIPIENT``.
"""

from __future__ import annotations

from collections.abc import Sequence

from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.schema import XmlRejected, parse_xml
from postbud.domain.identifiers import InvalidIdentifier, PartyId, parse_party_id
from postbud.services.letters.send_letter import DocumentInput


def peppol_participant(scheme: str | None, endpoint: str | None, field: str) -> PartyId:
    """``schemeID`` + ``endpointID`` (``0192`` + an organisasjonsnummer, ``0088`` + a GLN, …)."""
    scheme, endpoint = (scheme or "").strip(), (endpoint or "").strip()
    try:
        return parse_party_id(f"{scheme}:{endpoint}")
    except InvalidIdentifier as exc:
        raise DigipostError("VALIDATION_FAILED", f"{field}: {exc.rule}") from exc


def require_xml(documents: Sequence[DocumentInput], paths: Sequence[str]) -> None:
    """Peppol carries XML business documents (EHF/BIS): every part must be well-formed XML."""
    for document, path in zip(documents, paths, strict=True):
        try:
            parse_xml(document.content, max_bytes=max(len(document.content), 1))
        except XmlRejected as exc:
            raise DigipostError(
                "PEPPOL_FILE_MUST_BE_XML", f"{path}: a Peppol message's documents must be XML ({exc.reason})"
            ) from exc
