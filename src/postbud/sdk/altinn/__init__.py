"""A typed Python client for the Altinn 3 Correspondence API — for Postbud or the real Altinn.

Only the base URL and the token differ between the two::

    from postbud.sdk.altinn import AltinnClient, SandboxToken

    token = SandboxToken(org="974761076", scopes=["altinn:correspondence.write"],
                         data_dir="postbud-data", public_url="http://127.0.0.1:8080")
    with AltinnClient("http://127.0.0.1:8080", token) as client:
        sent = client.initialize(request)

Failures raise :class:`AltinnClientError` subclasses; an answer that is not 2xx is
:class:`AltinnApiError` with Altinn's ``code`` (``CORR-01006``) and ``error_code`` (1006).
"""

from __future__ import annotations

from .client import PRODUCTION_BASE_URL, TEST_BASE_URL, AltinnClient, AsyncAltinnClient
from .errors import (
    AltinnApiError,
    AltinnClientError,
    AltinnConnectionError,
    TokenError,
    UnexpectedResponseError,
)
from .events_models import EventsSubscription, EventsSubscriptionList, EventsSubscriptionRequest
from .models import (
    AttachmentDataLocationType,
    AttachmentDetails,
    AttachmentOverview,
    AttachmentStatus,
    AttachmentStatusEvent,
    Correspondence,
    CorrespondenceAttachment,
    CorrespondenceContent,
    CorrespondenceDetails,
    CorrespondenceOverview,
    CorrespondenceStatus,
    CorrespondenceStatusEvent,
    CustomRecipient,
    ExternalReference,
    InitializeAttachment,
    InitializeCorrespondenceAttachment,
    InitializeCorrespondenceContent,
    InitializeCorrespondences,
    InitializeCorrespondencesResponse,
    InitializedCorrespondence,
    InitializedNotificationStatus,
    NewAttachment,
    Notification,
    NotificationChannel,
    NotificationRecipient,
    NotificationSending,
    NotificationStatus,
    NotificationStatusDetails,
    NotificationSummary,
    NotificationTemplate,
    ReferenceType,
    ReplyOption,
    SearchRole,
)
from .tokens import (
    MASKINPORTEN_TEST_TOKEN_URL,
    MASKINPORTEN_TOKEN_URL,
    MaskinportenExchange,
    MaskinportenToken,
    SandboxToken,
    StaticToken,
    TokenProvider,
    token_expiry,
)

__all__ = [
    "MASKINPORTEN_TEST_TOKEN_URL",
    "MASKINPORTEN_TOKEN_URL",
    "PRODUCTION_BASE_URL",
    "TEST_BASE_URL",
    "AltinnApiError",
    "AltinnClient",
    "AltinnClientError",
    "AltinnConnectionError",
    "AsyncAltinnClient",
    "AttachmentDataLocationType",
    "AttachmentDetails",
    "AttachmentOverview",
    "AttachmentStatus",
    "AttachmentStatusEvent",
    "Correspondence",
    "CorrespondenceAttachment",
    "CorrespondenceContent",
    "CorrespondenceDetails",
    "CorrespondenceOverview",
    "CorrespondenceStatus",
    "CorrespondenceStatusEvent",
    "CustomRecipient",
    "EventsSubscription",
    "EventsSubscriptionList",
    "EventsSubscriptionRequest",
    "ExternalReference",
    "InitializeAttachment",
    "InitializeCorrespondenceAttachment",
    "InitializeCorrespondenceContent",
    "InitializeCorrespondences",
    "InitializeCorrespondencesResponse",
    "InitializedCorrespondence",
    "InitializedNotificationStatus",
    "MaskinportenExchange",
    "MaskinportenToken",
    "NewAttachment",
    "Notification",
    "NotificationChannel",
    "NotificationRecipient",
    "NotificationSending",
    "NotificationStatus",
    "NotificationStatusDetails",
    "NotificationSummary",
    "NotificationTemplate",
    "ReferenceType",
    "ReplyOption",
    "SandboxToken",
    "SearchRole",
    "StaticToken",
    "TokenError",
    "TokenProvider",
    "UnexpectedResponseError",
    "token_expiry",
]
