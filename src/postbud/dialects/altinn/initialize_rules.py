"""The catalogue's rules of initialize that need nothing stored (§4 steps 10 and 12–21), in the
real service's order: the first broken one is the answer. Pure."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from postbud.dialects.altinn.custom_recipients import check_custom_recipients
from postbud.dialects.altinn.errors import AltinnError, ValidationProblem, error, invalid
from postbud.dialects.altinn.initialize_in import InitializeRequest, NewAttachment, Notification
from postbud.dialects.altinn.model import NotificationChannel, NotificationTemplate, ReferenceType
from postbud.dialects.altinn.text_rules import is_markdown_without_html, is_plain_text
from postbud.dialects.altinn.wire import enum_of

LANGUAGES = frozenset({"nb", "nn", "en"})
MAX_TITLE = 255
MAX_SUMMARY = 255
MAX_BODY = 30000
MAX_FILE_NAME = 255
MAX_REPLY_URL = 255
MIN_EXPIRATION_DAYS = 1
"""Non-production's minimum (production: 14); Postbud is a sandbox for this rule."""
MAX_EXPIRATION_DAYS = 100 * 366
ALLOWED_EXTENSIONS = frozenset(
    [
        ".doc",
        ".xls",
        ".docx",
        ".xlsx",
        ".ppt",
        ".pps",
        ".zip",
        ".pdf",
        ".html",
        ".txt",
        ".xml",
        ".jpg",
        ".jpeg",
        ".gif",
        ".bmp",
        ".png",
        ".json",
        ".csv",
        ".dcm",
        ".dicom",
    ]
)
_FORBIDDEN_CHARACTERS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))]
)


def check_dates(request: InitializeRequest, now: datetime) -> AltinnError | None:
    if request.is_confirmation_needed and request.due_date_time is None:
        return error(1016)
    due = request.due_date_time
    if due is not None:
        if due < now:
            return error(1008)
        publish = request.requested_publish_time
        if publish is not None and due < publish:
            return error(1009)
    return None


def check_content(request: InitializeRequest) -> AltinnError | None:
    content = request.content
    if content is None:
        return error(1019)
    title = content.title or ""
    if not title.strip():
        return error(1020)
    if not is_plain_text(title):
        return error(1002)
    if len(title) > MAX_TITLE:
        return error(1037)
    if content.summary is not None and len(content.summary) > MAX_SUMMARY:
        return error(1042)
    body = content.body or ""
    if body and not is_markdown_without_html(body):
        return error(1003)
    if not body.strip():
        return error(1021)
    if len(body) > MAX_BODY:
        return error(1022)
    if content.language.lower() not in LANGUAGES:
        return error(1023)
    if request.message_sender is not None and not is_plain_text(request.message_sender):
        return error(1039)
    return None


def check_references(request: InitializeRequest) -> AltinnError | None:
    kinds = [r.type for r in request.external_references]
    if kinds.count(ReferenceType.DialogportenTransmissionType) > 1:
        return error(1052)
    if (
        ReferenceType.DialogportenTransmissionType in kinds
        and ReferenceType.DialogportenDialogId not in kinds
    ):
        return error(1053)
    if ReferenceType.DialogportenDialogId in kinds:
        # Postbud has no Dialogporten: no dialog can be found to add a transmission to.
        return error(1054)
    return None


def check_new_attachment(attachment: NewAttachment) -> AltinnError | None:
    name = attachment.file_name
    if name is None or not name.strip():
        return error(2010)
    if len(name) > MAX_FILE_NAME:
        return error(2011)
    if _FORBIDDEN_CHARACTERS.search(name):
        return error(2012)
    stem, dot, extension = name.rpartition(".")
    if not dot or f".{extension.lower()}" not in ALLOWED_EXTENSIONS:
        return error(2013)
    if stem.upper() in _RESERVED_NAMES:
        return error(2021)
    return None


def check_expiration(days: int | None) -> AltinnError | ValidationProblem | None:
    if days is not None and days < MIN_EXPIRATION_DAYS:
        return error(2017, MIN_EXPIRATION_DAYS)
    if days is not None and days > MAX_EXPIRATION_DAYS:
        # Beyond any calendar Postbud can store an expiry in (the real service fails with a 500).
        return invalid("ExpirationInDays", f"ExpirationInDays must be at most {MAX_EXPIRATION_DAYS}")
    return None


def check_reply_options(request: InitializeRequest) -> AltinnError | None:
    for option in request.reply_options:
        url = option.url
        parts = urlsplit(url)
        if len(url) > MAX_REPLY_URL or parts.scheme.lower() != "https" or not parts.netloc or " " in url:
            return error(1035)
    return None


def _has(notification: Notification, *names: str) -> bool:
    return all(
        isinstance(notification.raw.get(n.lower()), str) and notification.raw[n.lower()].strip()
        for n in names
    )


_EMAIL = ("emailSubject", "emailBody")
_SMS = ("smsBody",)
_REMINDER_EMAIL = ("reminderEmailSubject", "reminderEmailBody")
_REMINDER_SMS = ("reminderSmsBody",)


def check_notification(notification: Notification | None, recipients: int = 1) -> AltinnError | None:
    """The custom recipients (3022, 3017–3019, 3015, 3011, 3012), then the texts a custom message
    needs for its channel (3002–3007, 3024, 3025)."""
    if (custom := check_custom_recipients(notification, recipients)) is not None:
        return custom
    if notification is None or notification.template is not NotificationTemplate.CustomMessage:
        return None
    channel = notification.channel
    main = {
        NotificationChannel.Email: (_EMAIL, 3002),
        NotificationChannel.Sms: (_SMS, 3004),
        NotificationChannel.EmailPreferred: (_EMAIL + _SMS, 3006),
        NotificationChannel.SmsPreferred: (_EMAIL + _SMS, 3006),
        NotificationChannel.EmailAndSms: (_EMAIL + _SMS, 3024),
    }[channel]
    if not _has(notification, *main[0]):
        return error(main[1])
    if notification.send_reminder:
        reminder_channel = (
            enum_of(NotificationChannel, notification.raw.get("remindernotificationchannel")) or channel
        )
        reminder = {
            NotificationChannel.Email: (_REMINDER_EMAIL, 3003),
            NotificationChannel.Sms: (_REMINDER_SMS, 3005),
            NotificationChannel.EmailPreferred: (_REMINDER_EMAIL + _REMINDER_SMS, 3007),
            NotificationChannel.SmsPreferred: (_REMINDER_EMAIL + _REMINDER_SMS, 3007),
            NotificationChannel.EmailAndSms: (_REMINDER_EMAIL + _REMINDER_SMS, 3025),
        }[reminder_channel]
        if not _has(notification, *reminder[0]):
            return error(reminder[1])
    return None
