"""Digipost's error catalogue: every error this dialect answers with, in one place.

The wire form is the ``error`` element (``error-code``, ``error-message``, ``error-type``);
``error-type`` follows the grouping of the real clients' ErrorCode enum.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from postbud.dialects.digipost.schema import SchemaVersion, namespace
from postbud.domain.datatypes import DataTypeInvalid
from postbud.domain.errors import Conflict, DomainError, NotFound, NotPermitted, ValidationFailed

SERVER = "SERVER"
CLIENT_DATA = "CLIENT_DATA"
CLIENT_TECHNICAL = "CLIENT_TECHNICAL"
CONFIGURATION = "CONFIGURATION"

_CONFIGURATION = {
    "NOT_APPROVED_FOR_REST_API_USAGE", "NOT_APPROVED_FOR_PRINT", "NOT_APPROVED_FOR_IDPORTEN",
    "NOT_APPROVED_FOR_DIRECT_PRINT", "NOT_APPROVED_FOR_PREENCRYPT", "NOT_APPROVED_FOR_TECHNICAL_ATTACHMENTS",
    "MISSING_CERTIFICATE", "REVOKED_CERTIFICATE", "BROKER_NOT_AUTHORIZED",
    "NOTIFICATION_ADDRESSES_NOT_ALLOWED",
    "ORGANISATION_LETTERS_PER_MONTH_EXCEEDED", "DELIVERY_DATE_HISTORICAL", "ACCOUNT_DEACTIVATED",
}  # fmt: skip
_CLIENT_DATA = {
    "REQUEST_TOO_LARGE", "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF", "DUPLICATE_MESSAGE", "DUPLICATE_DOCUMENT_ID",
    "DUPLICATE_DOCUMENT_ID_FOR_BATCH", "FILE_TOO_LARGE", "ILLEGAL_HTML_CONTENT", "BAD_CONTENT",
    "ILLEGAL_CONTENT_TYPE", "VALIDATION_FAILED", "UNKNOWN_SENDER", "UNKNOWN_RECIPIENT", "MISSING_RECIPIENT",
    "MISSING_CONTENT", "MISSING_SUBJECT", "INVALID_EMAIL_ADDRESS", "INVALID_EMAIL_NOTIFICATION_TIME",
    "INVALID_SMS_NOTIFICATION_TIME", "INVALID_PHONE_NUMBER", "INVALID_RECIPIENT_PRINT_ADDRESS",
    "INVALID_RETURN_ADDRESS", "INVALID_PDF_CONTENT", "INVALID_HTML_CONTENT", "HTML_CONTENT_SANITIZED",
    "INVALID_MONETARY_AMOUNT", "AUTHENTICATION_LEVEL_TOO_LOW", "PEPPOL_ERROR", "PEPPOL_FILE_MUST_BE_XML",
    "UNKNOWN_PEPPOL_RECIPIENT", "UNKNOWN_BATCH", "UNKNOWN_USER",
}  # fmt: skip
_SERVER = {"API_UNAVAILABLE", "SERVER_ERROR", "GENERAL_ERROR"}


def error_type_of(code: str) -> str:
    if code in _CONFIGURATION:
        return CONFIGURATION
    if code in _CLIENT_DATA:
        return CLIENT_DATA
    if code in _SERVER:
        return SERVER
    return CLIENT_TECHNICAL


@dataclass(slots=True)
class DigipostError(Exception):
    code: str
    message: str
    status: int = 400

    @property
    def error_type(self) -> str:
        return error_type_of(self.code)

    def to_xml(self, version: SchemaVersion = 8) -> bytes:
        ns = namespace(version)
        root = etree.Element(f"{{{ns}}}error", nsmap={None: ns})
        etree.SubElement(root, f"{{{ns}}}error-code").text = self.code
        etree.SubElement(root, f"{{{ns}}}error-message").text = self.message
        etree.SubElement(root, f"{{{ns}}}error-type").text = self.error_type
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def datatype_invalid(where: str, exc: DataTypeInvalid) -> DigipostError:
    """A datatype that breaks its rules, each rule named with the field it is about."""
    rules = "; ".join(f"{path}: {rule}" for path, rule in exc.errors)
    return DigipostError("VALIDATION_FAILED", f"{where}: {rules}")


def not_implemented(what: str) -> DigipostError:
    return DigipostError(
        "GENERAL_ERROR",
        f"{what} is not implemented by Postbud's Digipost dialect (see docs/dialects/digipost.md)",
        501,
    )


def from_domain(exc: DomainError) -> DigipostError:
    """Map a core error onto the Digipost code a real client would get for it."""
    if isinstance(exc, ValidationFailed):
        first = exc.errors[0]
        code = "VALIDATION_FAILED"
        if "print requires PDF" in first.rule:
            code = "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF"
        elif first.field == "publish_at":
            code = "DELIVERY_DATE_HISTORICAL"
        elif "larger than" in first.rule:
            code = "FILE_TOO_LARGE"
        return DigipostError(code, str(exc), 400)
    if isinstance(exc, Conflict):
        code = "DUPLICATE_DOCUMENT_ID" if exc.field.startswith("documents") else "DUPLICATE_MESSAGE"
        if exc.field == "batch":
            code = "INVALID_TRANSACTION"
        return DigipostError(code, exc.rule, 400 if code != "INVALID_TRANSACTION" else 409)
    if isinstance(exc, NotFound):
        codes = {"recipient": "UNKNOWN_RECIPIENT", "batch": "UNKNOWN_BATCH", "sender": "UNKNOWN_SENDER"}
        return DigipostError(codes.get(exc.entity, "GENERAL_ERROR"), str(exc), 404)
    if isinstance(exc, NotPermitted):
        return DigipostError("BROKER_NOT_AUTHORIZED", exc.rule, 403)
    return DigipostError("GENERAL_ERROR", str(exc), 400)
