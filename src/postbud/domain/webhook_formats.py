"""How a webhook subscription wants its events: the body's format and the signature on it."""

from __future__ import annotations

from enum import StrEnum


class WebhookFormat(StrEnum):
    STANDARD = "standard"
    """Postbud's JSON event, signed as Standard Webhooks (``webhook-id``, ``-timestamp``, ``-signature``)."""
    EKOPOST = "ekopost"
    """A JSON body signed in ``X-Ekopost-Signature``: the hex HMAC-SHA1 of the body, keyed by the secret."""
    CLOUDEVENTS = "cloudevents"
    """A CloudEvents 1.0 document in structured mode (``application/cloudevents+json``), signed as
    Standard Webhooks as well."""
