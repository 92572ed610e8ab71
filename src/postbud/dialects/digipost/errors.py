"""Digipost's error catalogue: every error this dialect answers with, in one place.

The wire form is the ``error`` element (``error-code``, ``error-message``, ``error-type``);
``error-type`` follows the grouping of the real clients' ErrorCode enum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from lxml import etree

from postbud.dialects.digipost.schema import SchemaVersion, namespace
from postbud.domain.datatypes import DataTypeInvalid
from postbud.domain.errors import (
    Conflict,
    ConflictCode,
    DomainError,
    FieldError,
    NotFound,
    NotPermitted,
    PermissionCode,
    RuleCode,
    ValidationFailed,
)

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


def no_such_resource(what: str) -> DigipostError:
    """A path the API does not have: every resource the clients know is served (docs/dialects/digipost.md)."""
    return DigipostError("GENERAL_ERROR", f"{what}: the Digipost API has no such resource", 404)


# The core's rule codes and the Digipost error code a real client gets for each, with its status.
# Every member of RuleCode, ConflictCode and PermissionCode is named here (tests check it), so a new
# rule is a decision about its Digipost code, not a silent VALIDATION_FAILED.
VALIDATION_CODES: Final[Mapping[RuleCode, tuple[str, int]]] = {
    RuleCode.INVALID: ("VALIDATION_FAILED", 400),
    RuleCode.REQUIRED: ("VALIDATION_FAILED", 400),
    RuleCode.EMPTY: ("VALIDATION_FAILED", 400),
    RuleCode.TOO_LARGE: ("FILE_TOO_LARGE", 400),
    RuleCode.TOO_LONG: ("VALIDATION_FAILED", 400),
    RuleCode.TOO_MANY: ("VALIDATION_FAILED", 400),
    RuleCode.TOO_FEW: ("VALIDATION_FAILED", 400),
    RuleCode.NOT_UNIQUE: ("VALIDATION_FAILED", 400),
    RuleCode.IN_PAST: ("VALIDATION_FAILED", 400),
    RuleCode.BEFORE_OTHER: ("VALIDATION_FAILED", 400),
    RuleCode.WRONG_FORMAT: ("VALIDATION_FAILED", 400),
    RuleCode.FILE_TYPE: ("VALIDATION_FAILED", 400),
    RuleCode.PRINT_NEEDS_PDF: ("CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF", 400),
    RuleCode.CHECKSUM_MISMATCH: ("VALIDATION_FAILED", 400),
    RuleCode.DATATYPE: ("VALIDATION_FAILED", 400),
    RuleCode.UNKNOWN_RECIPIENT: ("UNKNOWN_RECIPIENT", 404),
    RuleCode.UNDELIVERABLE: ("UNKNOWN_RECIPIENT", 404),
    RuleCode.NO_CONTACT: ("VALIDATION_FAILED", 400),
}
FIELD_VALIDATION_CODES: Final[Mapping[tuple[RuleCode, str], tuple[str, int]]] = {
    # Digipost words a delivery time in the past as its own code; other times in the past are invalid.
    (RuleCode.IN_PAST, "publish_at"): ("DELIVERY_DATE_HISTORICAL", 400),
}
CONFLICT_CODES: Final[Mapping[ConflictCode, tuple[str, int]]] = {
    ConflictCode.DUPLICATE: ("DUPLICATE_MESSAGE", 400),
    ConflictCode.DUPLICATE_DOCUMENT: ("DUPLICATE_DOCUMENT_ID", 400),
    ConflictCode.WRONG_STATE: ("INVALID_TRANSACTION", 409),
    ConflictCode.ALREADY_DONE: ("INVALID_TRANSACTION", 409),
    ConflictCode.NOT_YET: ("INVALID_TRANSACTION", 409),
}
PERMISSION_CODES: Final[Mapping[PermissionCode, tuple[str, int]]] = {
    PermissionCode.NOT_OWNER: ("BROKER_NOT_AUTHORIZED", 403),
    PermissionCode.NOT_APPROVED: ("BROKER_NOT_AUTHORIZED", 403),
    PermissionCode.LIMIT_REACHED: ("ORGANISATION_LETTERS_PER_MONTH_EXCEEDED", 403),
}
NOT_FOUND_CODES: Final[Mapping[str, str]] = {
    "recipient": "UNKNOWN_RECIPIENT",
    "batch": "UNKNOWN_BATCH",
    "sender": "UNKNOWN_SENDER",
    "archive": "DOCUMENT_NOT_FOUND",
    "archive document": "DOCUMENT_NOT_FOUND",
    "inbox document": "DOCUMENT_NOT_FOUND",
}
"""By the kind of thing that was not found; anything else is a GENERAL_ERROR."""


def validation_code(error: FieldError) -> tuple[str, int]:
    """The Digipost code and status for one broken rule: by its rule code and field, never its words."""
    by_field = FIELD_VALIDATION_CODES.get((error.code, error.field))
    return by_field or VALIDATION_CODES.get(error.code, ("VALIDATION_FAILED", 400))


def from_domain(exc: DomainError) -> DigipostError:
    """Map a core error onto the Digipost code a real client would get for it."""
    if isinstance(exc, ValidationFailed):
        code, status = validation_code(exc.first)
        return DigipostError(code, str(exc), status)
    if isinstance(exc, Conflict):
        code, status = CONFLICT_CODES.get(exc.code, ("DUPLICATE_MESSAGE", 400))
        return DigipostError(code, exc.rule, status)
    if isinstance(exc, NotFound):
        return DigipostError(NOT_FOUND_CODES.get(exc.entity, "GENERAL_ERROR"), str(exc), 404)
    if isinstance(exc, NotPermitted):
        code, status = PERMISSION_CODES.get(exc.code, ("BROKER_NOT_AUTHORIZED", 403))
        return DigipostError(code, exc.rule, status)
    return DigipostError("GENERAL_ERROR", str(exc), 400)
