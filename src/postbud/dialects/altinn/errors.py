"""Altinn Correspondence's error catalogue (reference §9.3) and its ProblemDetails (§9.1, §9.2).

Every error this dialect answers with is an ``AltinnError`` carrying a catalogue code; the body is the
Altinn flavour of RFC 9457: the RFC 9110 section as ``type``, ``code`` as ``CORR-0nnnn``, the number
again as ``errorCode``, and a ``traceId``. Model-binding failures are a validation problem with
``validationErrors`` and the classic ASP.NET ``errors`` keyed by field name.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from starlette.responses import JSONResponse, PlainTextResponse, Response

from postbud.domain.errors import (
    Conflict,
    ConflictCode,
    DomainError,
    NotFound,
    NotPermitted,
    RuleCode,
    ValidationFailed,
)
from postbud.http.problem_details import ProblemDetails

_TYPES: Final[Mapping[int, tuple[str, str]]] = {
    400: ("https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"),
    401: ("https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"),
    403: ("https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"),
    404: ("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found"),
    405: ("https://tools.ietf.org/html/rfc9110#section-15.5.6", "Method Not Allowed"),
    408: ("https://tools.ietf.org/html/rfc9110#section-15.5.9", "Request Timeout"),
    409: ("https://tools.ietf.org/html/rfc9110#section-15.5.10", "Conflict"),
    415: ("https://tools.ietf.org/html/rfc9110#section-15.5.16", "Unsupported Media Type"),
    422: ("https://tools.ietf.org/html/rfc9110#section-15.5.21", "Unprocessable Entity"),
    451: ("https://tools.ietf.org/html/rfc7725#section-3", "Unavailable For Legal Reasons"),
    500: (
        "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        "An error occurred while processing your request.",
    ),
    501: ("https://tools.ietf.org/html/rfc9110#section-15.6.2", "Not Implemented"),
    502: ("https://tools.ietf.org/html/rfc9110#section-15.6.3", "Bad Gateway"),
}

# (message, HTTP status) by catalogue number; the texts are the real service's.
CATALOGUE: Final[Mapping[int, tuple[str, int]]] = {
    1001: ("The requested correspondence was not found", 404),
    1002: ("Message title must be plain text", 400),
    1003: ("Message body must be markdown", 400),
    1005: ("Mismatch between uploaded files and attachment metadata", 400),
    1006: ("Recipients must be unique", 400),
    1007: ("Existing attachment not found", 400),
    1008: ("DueDateTime cannot be prior to today", 400),
    1009: ("DueDateTime cannot be prior to RequestedPublishTime", 400),
    1013: ("Sender cannot delete correspondence that has been published", 400),
    1014: ("Correspondence has already been purged", 400),
    1016: ("DueDateTime is required when confirmation is needed", 400),
    1017: ("The sender of the correspondence must be equal the sender of existing attachments", 400),
    1018: ("Attachment is not published", 400),
    1019: ("The Content field must be provided for the correspondence", 400),
    1020: ("Message title cannot be empty", 400),
    1021: ("Message body cannot be empty", 400),
    1022: ("Message body cannot exceed 30000 characters", 400),
    1023: (
        "Invalid language chosen. Supported languages is Norsk bokmål (nb), Nynorsk (nn) and English (en)",
        400,
    ),
    1024: ("Correspondence must be fetched before it can be read", 400),
    1025: ("Correspondence must be fetched before it can be confirmed", 400),
    1026: (
        "Cannot archive or delete a correspondence which has not been confirmed when confirmation is "
        "required",
        400,
    ),
    1027: ("From date cannot be after to date", 400),
    1029: ("Could not find partyId for the following recipients: {}", 404),
    1030: (
        "Recipient {} has reserved themselves from public correspondences. "
        "Can be overridden using the 'IgnoreReservation' flag.",
        422,
    ),
    1033: ("The idempotency key must be a valid non-empty GUID", 400),
    1034: ("A correspondence with the same idempotent key already exists", 409),
    1035: ("Reply options must be well-formed URIs and HTTPS with a max length of 255 characters", 400),
    1036: ("Service owner/sender's organization number (9 digits) not found for resource", 400),
    1037: ("Message title cannot exceed 255 characters", 400),
    1038: ("A correspondence cannot contain more than 100 attachments in total", 400),
    1039: ("Message sender must be plain text", 400),
    1040: ("Correspondence is already marked as read", 400),
    1041: ("Correspondence has already been confirmed", 400),
    1042: ("Message summary, if not null, must be between 0 and 255 characters long", 400),
    1047: ("Idempotency key is not supported for correspondences with multiple recipients", 400),
    1052: ("Only one DialogportenTransmissionType external reference is allowed", 400),
    1053: (
        "A DialogportenTransmissionType external reference requires a DialogportenDialogId reference",
        400,
    ),
    1054: ("The dialog referenced by DialogportenDialogId was not found", 404),
    1055: ("Existing attachment is expiring within 6 hours", 400),
    1060: ("Resource is confidential; IsConfidential must be set to true", 400),
    1061: ("Resource is not confidential; IsConfidential cannot be set to true", 400),
    1062: ("No unread confidential correspondences found", 404),
    1063: ("Correspondence does not allow forwarding", 400),
    1064: ("Correspondence has already been forwarded to the specified recipient", 400),
    1065: ("Correspondence must be read before it can be forwarded", 400),
    1066: ("Forwarding text cannot exceed 200 characters", 400),
    1067: ("Forwarding text must be plain text", 400),
    1068: ("Forwarding is not allowed for resources that require an authentication level above 0", 400),
    1069: ("Correspondence cannot allow forwarding if the total size of attachments exceeds 10 MB", 400),
    2001: ("The requested attachment was not found", 404),
    2003: ("Cannot upload attachment to a correspondence that has been created", 400),
    2004: ("File must have content and has a max file size of 2GB", 400),
    2005: ("File has already been or is being uploaded", 400),
    2006: ("File has already been purged", 400),
    2007: ("Attachment cannot be purged as it is linked to at least one existing correspondence", 400),
    2008: ("Checksum mismatch", 400),
    2010: ("Filename is missing", 400),
    2011: ("Filename is too long", 400),
    2012: ("Filename contains invalid characters", 400),
    2013: ("Filetype not allowed", 400),
    2016: (
        "This attachment is associated with a published correspondence and can no longer be accessed "
        "by service owner",
        400,
    ),
    2017: ("Attachment expiration time must be at least {} days from now", 400),
    2019: ("Cannot download attachment that has been purged", 400),
    2020: ("Cannot download attachment that has expired", 400),
    2021: ("Filename is a reserved Windows filename", 400),
    2023: ("Total size of attachments exceeds the maximum allowed for zip download (25 MB)", 400),
    3002: ("Email body and subject must be provided when sending email notifications", 400),
    3003: ("Reminder email body and subject must be provided when sending reminder email notifications", 400),
    3004: ("SMS body must be provided when sending SMS notifications", 400),
    3005: ("Reminder SMS body must be provided when sending reminder SMS notifications", 400),
    3006: ("Email body, subject and SMS body must be provided when sending preferred notifications", 400),
    3007: (
        "Reminder email body, subject and SMS body must be provided when sending reminder preferred "
        "notifications",
        400,
    ),
    3011: ("Invalid email provided for custom recipient.", 400),
    3012: (
        "Invalid mobile number provided. Mobile number can contain only '+' and numeric characters, and it "
        "must adhere to the E.164 standard.",
        400,
    ),
    3015: (
        "Recipient overrides with email or mobile number are not allowed when using notification recipient "
        "name because of name lookup",
        400,
    ),
    3017: ("Custom recipient with multiple recipients is not allowed", 400),
    3018: ("Custom recipient with multiple identifiers is not allowed", 400),
    3019: ("Custom recipient without identifier is not allowed", 400),
    3022: (
        "OverrideRegisteredContactInformation flag can only be used when CustomRecipients is provided",
        400,
    ),
    3024: ("Email body, subject and SMS body must be provided when sending EmailAndSms notifications", 400),
    3025: (
        "Reminder email body, subject and SMS body must be provided when sending reminder EmailAndSms "
        "notifications",
        400,
    ),
    3027: ("Email address provided for forwarding correspondence exceeds 1000 characters", 400),
    4001: (
        "You must use an Altinn token, DialogToken or log in to IDPorten as someone with access to the "
        "resource and organization in Altinn Authorization",
        401,
    ),
    4006: ("Could not determine caller", 401),
    4010: ("Resource type is not supported. Resource must be of type CorrespondenceService.", 400),
}


def trace_id() -> str:
    """A W3C trace-context id, as the real service's ``traceId`` (``00-<trace>-<span>-00``)."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"


def _type_and_title(status: int) -> tuple[str, str]:
    return _TYPES.get(status, _TYPES[500] if status >= 500 else _TYPES[400])


@dataclass(slots=True)
class AltinnError(Exception):
    """One catalogue error: its number, and the status and words the catalogue gives it."""

    number: int
    detail: str
    status: int

    def response(self) -> Response:
        kind, title = _type_and_title(self.status)
        extensions = {
            "code": f"CORR-{self.number:05d}",
            "traceId": trace_id(),
            "statusDescription": title,
            "errorCode": self.number,
        }
        return ProblemDetails(self.status, title, kind, self.detail, extensions=extensions).response()


def error(number: int, *arguments: object) -> AltinnError:
    """The catalogue's error ``number``, its message filled with ``arguments``."""
    message, status = CATALOGUE[number]
    return AltinnError(number, message.format(*arguments) if arguments else message, status)


@dataclass(frozen=True, slots=True)
class Invalid:
    """One model-binding failure: the field as the client named it (``Correspondence.Content``) and why."""

    field: str
    message: str


@dataclass(slots=True)
class ValidationProblem(Exception):
    """400 model validation (§9.2): ``validationErrors`` and the legacy ``errors`` by field."""

    invalid: Sequence[Invalid]

    def response(self) -> Response:
        kind, title = _type_and_title(400)
        errors: dict[str, list[str]] = {}
        for item in self.invalid:
            errors.setdefault(item.field, []).append(item.message)
        extensions = {
            "code": "STD-00000",
            "traceId": trace_id(),
            "validationErrors": [
                {"code": "CORR.VLD-00000", "title": item.message, "paths": [item.field.replace(".", "/")]}
                for item in self.invalid
            ],
            "errors": errors,
        }
        return ProblemDetails(400, title, kind, extensions=extensions).response()


def invalid(field: str, message: str) -> ValidationProblem:
    return ValidationProblem([Invalid(field, message)])


@dataclass(slots=True)
class PlainError(Exception):
    """An answer the real service gives without ProblemDetails (406 Accept, 415, the template quirk)."""

    status: int
    text: str
    as_json: bool = False

    def response(self) -> Response:
        if self.as_json:
            return JSONResponse(self.text, status_code=self.status)
        return PlainTextResponse(self.text, status_code=self.status)


@dataclass(slots=True)
class FrameworkProblem(Exception):
    """A refusal ASP.NET gives before any handler (415): ProblemDetails without a catalogue code."""

    status: int

    def response(self) -> Response:
        kind, title = _type_and_title(self.status)
        return ProblemDetails(self.status, title, kind, extensions={"traceId": trace_id()}).response()


def server_error() -> AltinnError:
    return AltinnError(0, "An unexpected error occurred; see the server log", 500)


# The core's rule codes and the catalogue number a correspondence gets for each, by the thing the
# core names (its ``entity`` or ``field``); what is not named here is answered from its kind.
_CONFLICTS: Final[Mapping[ConflictCode, int]] = {
    ConflictCode.DUPLICATE: 1034,
    ConflictCode.ALREADY_DONE: 1014,
    ConflictCode.NOT_YET: 1001,
    ConflictCode.WRONG_STATE: 1001,
    ConflictCode.DUPLICATE_DOCUMENT: 1006,
}
_VALIDATION: Final[Mapping[RuleCode, int]] = {
    RuleCode.CHECKSUM_MISMATCH: 2008,
    RuleCode.EMPTY: 2004,
    RuleCode.TOO_LARGE: 2004,
    RuleCode.FILE_TYPE: 2013,
    RuleCode.NOT_UNIQUE: 1006,
    RuleCode.IN_PAST: 1008,
    RuleCode.BEFORE_OTHER: 1009,
    RuleCode.UNKNOWN_RECIPIENT: 1029,
    RuleCode.UNDELIVERABLE: 1029,
}


def from_domain(exc: DomainError) -> AltinnError | ValidationProblem:
    """A core error the handler did not word itself, as the nearest catalogue error."""
    if isinstance(exc, NotFound):
        return error(2001) if exc.entity == "attachment" else error(1001)
    if isinstance(exc, NotPermitted):
        return error(4001)
    if isinstance(exc, Conflict):
        return error(_CONFLICTS.get(exc.code, 1001))
    if isinstance(exc, ValidationFailed):
        number = _VALIDATION.get(exc.first.code)
        if number is not None and number != 1029:
            return error(number)
        return ValidationProblem([Invalid(e.field, e.rule) for e in exc.errors])
    return server_error()


def upload_refused(exc: ValidationFailed) -> AltinnError:
    """Content the core refused at upload: checksum mismatch (2008), file type (2013), empty or too large."""
    if exc.first.field == "checksum":
        return error(2008)
    return error(2013 if exc.first.code is RuleCode.FILE_TYPE else 2004)
