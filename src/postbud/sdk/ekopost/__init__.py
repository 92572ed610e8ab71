"""A typed Python client for the Ekopost print & distribution API — for Postbud or the real Ekopost.

Only the base URL and the credentials differ between the two::

    from postbud.sdk.ekopost import EkopostClient, EinboxAddress

    with EkopostClient("http://127.0.0.1:8080/ekopost/", api_key="KEY") as client:
        sent = client.send_letter(pdf, address=EinboxAddress(recipient="196103054166"))

Failures raise :class:`EkopostClientError` subclasses; an error answer is :class:`EkopostApiError`
with Ekopost's ``error_code`` (``"101"``), ``error_message``, ``developer_message`` and ``status``.
"""

from __future__ import annotations

from .addresses import (
    Address,
    EbankAddress,
    EinboxAddress,
    EinboxKivraAddress,
    EinboxSignerAddress,
    EinvoiceAddress,
    EmailAddress,
    LookupAddress,
    MastercardAddress,
    PostalAddress,
    ProtectedAddress,
    Signer,
    UnknownAddress,
    address_from_wire,
)
from .client import PRODUCTION_BASE_URL, SANDBOX_BASE_URL, AsyncEkopostClient, EkopostClient
from .errors import (
    EkopostApiError,
    EkopostClientError,
    EkopostConnectionError,
    EkopostNotFoundError,
    UnexpectedResponseError,
    WebhookSignatureError,
)
from .messaging import EdiInvitation, EdiSender, SmsMailing
from .models import (
    Campaign,
    Content,
    Envelope,
    NewCampaign,
    NewContent,
    NewEnvelope,
    SentLetter,
    Tracking,
    Transaction,
)
from .reachability import EinvoiceReadiness, MastercardPerson, PeppolMatch
from .sms_status import SmsMailingState, SmsMailingStatus, SmsRecipientState, SmsRecipientStatus
from .values import (
    CampaignState,
    ContentType,
    DocumentType,
    EdiInvitationStatus,
    EinvoiceFormat,
    EnvelopeState,
    IdentifierType,
    KivraType,
    PaymentType,
    Plex,
    Postage,
    ReachableType,
    ReferenceType,
)
from .webhook import (
    SIGNATURE_HEADER,
    CampaignCompleted,
    EnvelopeOutcome,
    read_campaign_completed,
    verify_signature,
)

__all__ = [
    "PRODUCTION_BASE_URL",
    "SANDBOX_BASE_URL",
    "SIGNATURE_HEADER",
    "Address",
    "AsyncEkopostClient",
    "Campaign",
    "CampaignCompleted",
    "CampaignState",
    "Content",
    "ContentType",
    "DocumentType",
    "EbankAddress",
    "EdiInvitation",
    "EdiInvitationStatus",
    "EdiSender",
    "EinboxAddress",
    "EinboxKivraAddress",
    "EinboxSignerAddress",
    "EinvoiceAddress",
    "EinvoiceFormat",
    "EinvoiceReadiness",
    "EkopostApiError",
    "EkopostClient",
    "EkopostClientError",
    "EkopostConnectionError",
    "EkopostNotFoundError",
    "EmailAddress",
    "Envelope",
    "EnvelopeOutcome",
    "EnvelopeState",
    "IdentifierType",
    "KivraType",
    "LookupAddress",
    "MastercardAddress",
    "MastercardPerson",
    "NewCampaign",
    "NewContent",
    "NewEnvelope",
    "PaymentType",
    "PeppolMatch",
    "Plex",
    "Postage",
    "PostalAddress",
    "ProtectedAddress",
    "ReachableType",
    "ReferenceType",
    "SentLetter",
    "Signer",
    "SmsMailing",
    "SmsMailingState",
    "SmsMailingStatus",
    "SmsRecipientState",
    "SmsRecipientStatus",
    "Tracking",
    "Transaction",
    "UnexpectedResponseError",
    "UnknownAddress",
    "WebhookSignatureError",
    "address_from_wire",
    "read_campaign_completed",
    "verify_signature",
]
