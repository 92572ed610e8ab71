"""The seed's value lists. Every one is a ``StrEnum`` (or ``IntEnum``), so it compares equal to the
plain value the server sends: ``envelope.state == EnvelopeState.POSTED``."""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = [
    "CampaignState",
    "ContentType",
    "DocumentType",
    "EdiInvitationStatus",
    "EinvoiceFormat",
    "EnvelopeState",
    "IdentifierType",
    "KivraType",
    "PaymentType",
    "Plex",
    "Postage",
    "ReachableType",
    "ReferenceType",
]


class CampaignState(StrEnum):
    OPENED = "opened"
    CLOSED = "closed"
    TRANSFERRED = "transferred"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"


class EnvelopeState(StrEnum):
    OPENED = "opened"
    CLOSED = "closed"
    TRANSFERRED = "transferred"
    PRINTED = "printed"
    POSTED = "posted"
    CANCELLED = "cancelled"
    FAILED = "failed"


FINAL_ENVELOPE_STATES = frozenset({EnvelopeState.POSTED, EnvelopeState.CANCELLED, EnvelopeState.FAILED})
FINAL_CAMPAIGN_STATES = frozenset({CampaignState.COMPLETED, CampaignState.CANCELLED, CampaignState.FAILED})


class Postage(StrEnum):
    PRIORITY = "priority"
    """Delivered within one working day after printing."""
    ECONOMY = "economy"
    """Delivered within four working days after printing."""
    REK = "rek"
    """Registered: signed for by the recipient."""
    PROTECTED = "protected"
    """To a recipient with a protected identity (with a ``ProtectedAddress``)."""


class Plex(StrEnum):
    SIMPLEX = "simplex"
    DUPLEX = "duplex"


class ContentType(StrEnum):
    DOCUMENT = "document"
    ATTACHMENT = "attachment"
    MARKUP = "markup"


class EinvoiceFormat(StrEnum):
    SVEFAKTURA_1_0 = "svefaktura-1.0"
    SVEFAKTURA_2_0_INVOICE = "svefaktura-2.0-invoice"
    SVEFAKTURA_2_0_CREDITNOTE = "svefaktura-2.0-creditnote"
    PEPPOL_BIS_BILLING_3_0 = "peppol-bis-billing-3.0"


class IdentifierType(StrEnum):
    SE_REGNO = "SE.REGNO"
    SE_SSNNO = "SE.SSNNO"
    GS1_GLN = "GS1.GLN"


class KivraType(IntEnum):
    LETTER = 0
    INVOICE = 1
    SALARY = 2
    BOOKING = 3


class ReferenceType(StrEnum):
    """How an ``ebank`` invoice is referenced when paid."""

    OCR = "ocr"
    MESSAGE = "message"


class PaymentType(StrEnum):
    EFAKTURA = "EFAKTURA"
    EFAKTURA_AND_AVTALEGIRO = "EFAKTURA_AND_AVTALEGIRO"
    EFAKTURA_AND_EXTERNAL_AVTALEGIRO = "EFAKTURA_AND_EXTERNAL_AVTALEGIRO"
    AVTALEGIRO = "AVTALEGIRO"


class DocumentType(IntEnum):
    INVOICE = 0
    CREDIT_NOTE = 1
    REMINDER = 2
    COLLECTION_NOTICE = 3
    DUNNING = 4
    PAYMENT_REQUEST = 5
    ENFORCEMENT_WARNING = 6


class ReachableType(StrEnum):
    EINBOX = "einbox"
    EBANK = "ebank"
    EINVOICE = "einvoice"
    MASTERCARD = "mastercard"


class EdiInvitationStatus(IntEnum):
    REGISTERED = 1001
    SENT = 1002
    RECEIVED = 1003
    ANSWERED = 1004
    CONNECTION_APPROVED = 1005
    CONNECTION_DENIED = 1006
    REMINDER_SENT = 1007
    INSUFFICIENT_INFORMATION = 1008
    UNKNOWN_STATUS = 1009
    EXPIRED = 1010
