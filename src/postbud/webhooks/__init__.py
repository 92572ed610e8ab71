"""Signed, at-least-once webhooks to senders, with a log of every delivery attempt."""

from postbud.webhooks.signing import InvalidWebhookSignature, new_secret, sign, verify

__all__ = ["InvalidWebhookSignature", "new_secret", "sign", "verify"]
