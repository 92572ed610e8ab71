"""Ekopost's error catalogue: every code of the seed's list, its message, and the core's rules mapped
onto it.

The wire form is ``{"error_code", "error_message", "developer_message"}``: 400 for a handled error,
404 for a campaign, envelope or content that does not exist (or is another customer's). The
``error_message`` is the catalogue's text for the code; the ``developer_message`` names the field
and the rule that was broken.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

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
from postbud.domain.print_limits import LARGE_DOCUMENTS_PER_DAY

CATALOGUE: Final[Mapping[str, str]] = {
    "0": "Invalid basic authentication token.",
    "100A": "The envelope must contain atleast one (1) document before being closed.",
    "100B": "The envelope must contain atleast one (1) markup before being closed.",
    "101": "A campaign must contain atleast one (1) envelope before being closed.",
    "102": "All envelopes inside a campaign must be closed before closing the campaign.",
    "103": "An envelope may only contain one (1) document.",
    "104": "An envelope may only contain content with mime of 'application/pdf'.",
    "105": "Could not extract or identify a postal address in the envelopes main documents.",
    "106": "Campaign was not found.",
    "107": "Could not open the main document content or find any pages.",
    "108": "An envelope may only contain content of type 'attachment' with mime set to 'application/pdf'.",
    "109": "An envelope may only contain content of type 'markup' with mime set to 'application/xml'.",
    "110": "An envelope may only contain one (1) markup.",
    "111": "Envelope was not found.",
    "112": "Specified country is not a valid ISO 3166-1 encoded alpha-2 code.",
    "113": "You have exceeded your credit limit for the month, please contact our customer service to "
    "adjust your credit limit.",
    "114": "The searchparams is null.",
    "115": "The searchparams is invalid.",
    "116": "The timespan is invalid.",
    "117": "The document size is invalid.",
    "118": "The attachment size is invalid.",
    "119": "Missing recipient.",
    "120": "Missing email",
    "121": "Can not create more envelopes in campaign",
    "122": "One signer needed",
    "123": "Email address contains invalid characters.",
    "124": "FUI-number is not registrered",
    "125": "No applicants registrered for this FUI",
    "126": "Not unique",
    "127": "Invalid data",
    "128": "Wrong mime for sms. Mime should be 'text/plain'",
    "129": "Empty data field",
    "130": "Sms text message not encoded into base64",
    "131": "Sms recipients contains invalid phone number.",
    "132": "Sms does not contain any recipients",
    "133": 'Sms "FromName" is null or empty.',
    "134": "Sms too many recipients (100 000 is the max limit)",
    "135": "Address validation error",
    "136": "Invalid contract",
    "137": "Document content not found on the specified envelope",
    "138": "Recipient can not be the same as the issuer",
    "139": "Recipient must have a valid valuer",
    "140": "No setup for protected mailing, contact hejsan@ekopost.se to get started with protected mailing.",
    "141": "Invalid contract",
    "142": "Reply mail template missing",
    "143": "More than 50 documents over 8Mb sent current day",
}
"""Every error code of the seed, with the message the real service gives for it."""

NOT_IMPLEMENTED_CODE: Final = "501"
"""Not one of Ekopost's codes: what Postbud answers (HTTP 501) for a route it does not serve yet."""


@dataclass(slots=True)
class EkopostError(Exception):
    code: str
    developer_message: str
    status: int = 400
    error_message: str | None = None
    """None: the catalogue's text for ``code``."""

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE and self.code != NOT_IMPLEMENTED_CODE:
            raise ValueError(f"{self.code!r} is not an Ekopost error code")

    def to_json(self) -> dict[str, Any]:
        return {
            "error_code": self.code,
            "error_message": self.error_message or CATALOGUE.get(self.code, ""),
            "developer_message": self.developer_message,
        }


def invalid(field: str, rule: str) -> EkopostError:
    """127: a value of the wrong type or form, naming the field and the rule."""
    return EkopostError("127", f"{field}: {rule}")


def not_found(what: str, key: object) -> EkopostError:
    code = {"campaign": "106", "envelope": "111"}.get(what, "137")
    return EkopostError(code, f"{what} {key} was not found", 404)


def not_implemented(what: str) -> EkopostError:
    return EkopostError(
        NOT_IMPLEMENTED_CODE,
        f"{what} is not implemented by Postbud's Ekopost dialect (see docs/dialects/ekopost.md)",
        501,
        error_message="Not implemented",
    )


# The core's rule codes and the Ekopost code a real client gets for each. Every member of RuleCode,
# ConflictCode and PermissionCode is named here (a unit test checks it), so a new core rule is a
# decision about its Ekopost code, not a silent 127.
VALIDATION_CODES: Final[Mapping[RuleCode, str]] = {
    RuleCode.INVALID: "127",
    RuleCode.REQUIRED: "127",
    RuleCode.EMPTY: "129",
    RuleCode.TOO_LARGE: "117",
    RuleCode.TOO_LONG: "127",
    RuleCode.TOO_MANY: "127",
    RuleCode.TOO_FEW: "127",
    RuleCode.NOT_UNIQUE: "126",
    RuleCode.IN_PAST: "127",
    RuleCode.BEFORE_OTHER: "127",
    RuleCode.WRONG_FORMAT: "127",
    RuleCode.FILE_TYPE: "104",
    RuleCode.PRINT_NEEDS_PDF: "104",
    RuleCode.CHECKSUM_MISMATCH: "127",
    RuleCode.DATATYPE: "127",
    RuleCode.UNKNOWN_RECIPIENT: "119",
    RuleCode.UNDELIVERABLE: "119",
    RuleCode.NO_CONTACT: "120",
}
FIELD_VALIDATION_CODES: Final[Mapping[tuple[RuleCode, str], str]] = {
    # A draft closed without its main document.
    (RuleCode.REQUIRED, "documents"): "100A",
    (RuleCode.TOO_MANY, "documents"): "121",
}
CONFLICT_CODES: Final[Mapping[ConflictCode, str]] = {
    ConflictCode.DUPLICATE: "126",
    ConflictCode.DUPLICATE_DOCUMENT: "126",
    ConflictCode.WRONG_STATE: "127",
    ConflictCode.ALREADY_DONE: "127",
    ConflictCode.NOT_YET: "127",
}
PERMISSION_CODES: Final[Mapping[PermissionCode, str]] = {
    PermissionCode.NOT_OWNER: "0",
    PermissionCode.NOT_APPROVED: "141",
    PermissionCode.LIMIT_REACHED: "113",
}


def validation_code(error: FieldError) -> str:
    return FIELD_VALIDATION_CODES.get((error.code, error.field)) or VALIDATION_CODES.get(error.code, "127")


def from_domain(exc: DomainError) -> EkopostError:
    """Map a core error onto the Ekopost code a real client would get for it."""
    if isinstance(exc, ValidationFailed):
        return EkopostError(validation_code(exc.first), str(exc))
    if isinstance(exc, Conflict):
        return EkopostError(CONFLICT_CODES.get(exc.code, "127"), f"{exc.field}: {exc.rule}")
    if isinstance(exc, NotFound):
        if exc.entity == "recipient":
            return EkopostError("119", str(exc))
        return not_found({"batch": "campaign", "shipment": "envelope"}.get(exc.entity, exc.entity), exc.key)
    if isinstance(exc, NotPermitted):
        if exc.quota == LARGE_DOCUMENTS_PER_DAY:
            return EkopostError("143", exc.rule)
        return EkopostError(PERMISSION_CODES.get(exc.code, "141"), exc.rule)
    return EkopostError("127", str(exc))
