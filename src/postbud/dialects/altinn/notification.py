"""A correspondence's ``notification`` (§3.5, §7) as the core's notice plan: the template, the
channel choice, the sender's texts with Altinn's placeholders in the core's words, and the reminder
after seven days while unread. Pure. Custom recipients are not carried (see docs/dialects/altinn.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from postbud.dialects.altinn.initialize_in import Notification
from postbud.dialects.altinn.model import NotificationChannel, NotificationTemplate
from postbud.dialects.altinn.wire import enum_of
from postbud.domain.notice_channels import ContactDetails, NoticeChannelChoice
from postbud.domain.notice_plan import NoticePlan, ReminderPlan
from postbud.domain.notice_templates import NoticeLanguage, NoticeTemplate, NoticeTexts

CHOICES: Final[Mapping[NotificationChannel, NoticeChannelChoice]] = {
    NotificationChannel.Email: NoticeChannelChoice.EMAIL,
    NotificationChannel.Sms: NoticeChannelChoice.SMS,
    NotificationChannel.EmailPreferred: NoticeChannelChoice.EMAIL_PREFERRED,
    NotificationChannel.SmsPreferred: NoticeChannelChoice.SMS_PREFERRED,
    NotificationChannel.EmailAndSms: NoticeChannelChoice.EMAIL_AND_SMS,
}
CHANNEL_NAMES: Final[Mapping[NoticeChannelChoice, str]] = {v: k.name for k, v in CHOICES.items()}
_TEMPLATES: Final[Mapping[NotificationTemplate, NoticeTemplate]] = {
    NotificationTemplate.CustomMessage: NoticeTemplate.OWN_TEXT,
    NotificationTemplate.GenericAltinnMessage: NoticeTemplate.GENERIC,
}
# Altinn's placeholders (resolved by Correspondence or by Notifications) and the core's for each.
_PLACEHOLDERS: Final = (
    ("$sendersName$", "{sender_name}"),
    ("$correspondenceRecipientName$", "{recipient_name}"),
    ("$recipientName$", "{recipient_name}"),
    ("$resourceName$", "{resource_name}"),
    ("$messageTitle$", "{title}"),
)


def _text(raw: Mapping[str, Any], name: str) -> str | None:
    value = raw.get(name.lower())
    if not isinstance(value, str) or not value.strip():
        return None
    for altinn, core in _PLACEHOLDERS:
        value = value.replace(altinn, core)
    return value


def _texts(raw: Mapping[str, Any], prefix: str = "") -> NoticeTexts:
    def name(field: str) -> str:
        return f"{prefix}{field[:1].upper()}{field[1:]}" if prefix else field

    return NoticeTexts(
        email_subject=_text(raw, name("emailSubject")),
        email_body=_text(raw, name("emailBody")),
        sms_body=_text(raw, name("smsBody")),
    )


def notice_plan(
    notification: Notification,
    language: str,
    resource_name: str | None = None,
    also_to: tuple[ContactDetails, ...] = (),
) -> NoticePlan:
    raw = notification.raw
    reminder = None
    if notification.send_reminder:
        reminder_channel = enum_of(NotificationChannel, raw.get("remindernotificationchannel"))
        reminder = ReminderPlan(
            choice=CHOICES[reminder_channel] if reminder_channel is not None else None,
            texts=_texts(raw, "reminder"),
        )
    return NoticePlan(
        choice=CHOICES[notification.channel],
        template=_TEMPLATES[notification.template],
        language=NoticeLanguage(language) if language in {"nb", "nn", "en"} else NoticeLanguage.NB,
        texts=_texts(raw),
        reminder=reminder,
        resource_name=resource_name,
        also_to=also_to,
        only_also_to=bool(also_to) and notification.raw.get("overrideregisteredcontactinformation") is True,
    )
