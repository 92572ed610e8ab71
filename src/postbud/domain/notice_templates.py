"""The words of a notice: the sender's own texts, or a generic template with placeholders, in nb/nn/en.

Pure: ``render_notice`` takes the texts and the facts and returns the subject and bodies. Placeholders
are written ``{sender_name}``, ``{recipient_name}``, ``{title}``, ``{resource_name}`` and ``{link}``
(a dialect translates its own tokens, Altinn's ``$sendersName$`` and the like, to these). A value put
in is never read for placeholders again, so a sender name such as "{title}" stays as it is.
A generic template keeps the sender's own text where it has ``{text}`` (Altinn's ``{textToken}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from postbud.domain.channels import Channel
from postbud.domain.errors import FieldError, RuleCode


class NoticeTemplate(StrEnum):
    OWN_TEXT = "own_text"
    """Exactly the sender's texts (Altinn's CustomMessage); each chosen channel needs its text."""
    GENERIC = "generic"
    """Postbud's wording in the recipient's language (Altinn's GenericAltinnMessage); own texts optional."""


class NoticeLanguage(StrEnum):
    NB = "nb"
    NN = "nn"
    EN = "en"


class Placeholder(StrEnum):
    SENDER_NAME = "sender_name"
    RECIPIENT_NAME = "recipient_name"
    TITLE = "title"
    RESOURCE_NAME = "resource_name"
    LINK = "link"


_TEXT_SLOT = "text"
_PLACEHOLDER = re.compile(r"\{(" + "|".join([*(p.value for p in Placeholder), _TEXT_SLOT]) + r")\}")


@dataclass(frozen=True, slots=True)
class NoticeTexts:
    email_subject: str | None = None
    email_body: str | None = None
    sms_body: str | None = None


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    sender_name: str
    recipient_name: str | None = None
    title: str | None = None
    """None for a sensitive letter: its notice must not tell what it is about."""
    resource_name: str | None = None
    link: str | None = None

    def values(self) -> dict[str, str]:
        return {
            Placeholder.SENDER_NAME.value: self.sender_name,
            Placeholder.RECIPIENT_NAME.value: self.recipient_name or "",
            Placeholder.TITLE.value: self.title or "",
            Placeholder.RESOURCE_NAME.value: self.resource_name or "",
            Placeholder.LINK.value: self.link or "",
        }


@dataclass(frozen=True, slots=True)
class RenderedNotice:
    email_subject: str
    email_body: str
    sms_body: str

    def for_channel(self, channel: Channel) -> tuple[str, str]:
        """(subject, text) as the e-mail or SMS channel sends them."""
        if channel is Channel.SMS:
            return self.email_subject, self.sms_body
        return self.email_subject, self.email_body


@dataclass(frozen=True, slots=True)
class _Wording:
    subject: str
    greeting: str
    body: str
    body_titled: str
    closing: str
    reminder_prefix: str


_GENERIC: Mapping[NoticeLanguage, _Wording] = {
    NoticeLanguage.NB: _Wording(
        subject="Ny melding fra {sender_name}",
        greeting="Hei {recipient_name}. ",
        body="Du har mottatt en ny melding fra {sender_name}. ",
        body_titled="Du har mottatt en ny melding fra {sender_name}: «{title}». ",
        closing="Logg inn for å lese den: {link}",
        reminder_prefix="Påminnelse: ",
    ),
    NoticeLanguage.NN: _Wording(
        subject="Ny melding frå {sender_name}",
        greeting="Hei {recipient_name}. ",
        body="Du har fått ei ny melding frå {sender_name}. ",
        body_titled="Du har fått ei ny melding frå {sender_name}: «{title}». ",
        closing="Logg inn for å lese ho: {link}",
        reminder_prefix="Påminning: ",
    ),
    NoticeLanguage.EN: _Wording(
        subject="New message from {sender_name}",
        greeting="Hello {recipient_name}. ",
        body="You have received a new message from {sender_name}. ",
        body_titled="You have received a new message from {sender_name}: “{title}”. ",
        closing="Log in to read it: {link}",
        reminder_prefix="Reminder: ",
    ),
}


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace the known placeholders in one pass; anything else in braces stays as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _generic(language: NoticeLanguage, facts: NoticeFacts, *, reminder: bool) -> tuple[str, str]:
    wording = _GENERIC[language]
    prefix = wording.reminder_prefix if reminder else ""
    body = (wording.greeting if facts.recipient_name else "") + (
        wording.body_titled if facts.title else wording.body
    )
    body += "{text}" + (wording.closing if facts.link else "")
    return prefix + wording.subject, prefix + body


def render_notice(
    template: NoticeTemplate,
    language: NoticeLanguage,
    own: NoticeTexts,
    facts: NoticeFacts,
    *,
    reminder: bool = False,
) -> RenderedNotice:
    """The notice's subject, e-mail body and SMS body."""
    values = facts.values()
    if template is NoticeTemplate.OWN_TEXT:
        return RenderedNotice(
            email_subject=fill(own.email_subject or "", values).strip(),
            email_body=fill(own.email_body or "", values).strip(),
            sms_body=fill(own.sms_body or "", values).strip(),
        )
    subject, body = _generic(language, facts, reminder=reminder)

    def with_text(text: str | None) -> str:
        slot = fill(text, values).strip() + " " if text and text.strip() else ""
        return " ".join(fill(body, {**values, _TEXT_SLOT: slot}).split())

    own_subject = fill(own.email_subject, values).strip() if own.email_subject else None
    return RenderedNotice(
        email_subject=own_subject or fill(subject, values).strip(),
        email_body=with_text(own.email_body),
        sms_body=with_text(own.sms_body),
    )


def missing_texts(
    template: NoticeTemplate, own: NoticeTexts, channels: tuple[Channel, ...], *, field: str
) -> list[FieldError]:
    """What an own-text notice lacks for the channels it may go by (a generic one lacks nothing)."""
    if template is NoticeTemplate.GENERIC:
        return []
    needed: list[tuple[str, str | None]] = []
    if Channel.EMAIL in channels:
        needed += [("email_subject", own.email_subject), ("email_body", own.email_body)]
    if Channel.SMS in channels:
        needed.append(("sms_body", own.sms_body))
    return [
        FieldError(f"{field}.{name}", "required for a notice in the sender's own words", RuleCode.REQUIRED)
        for name, text in needed
        if not (text and text.strip())
    ]
