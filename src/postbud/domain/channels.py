"""The channels a letter can travel by."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    DIGITAL_MAILBOX = "digital_mailbox"
    BUSINESS_INBOX = "business_inbox"
    EMAIL = "email"
    SMS = "sms"
    EINVOICE = "einvoice"
    PRINT = "print"
