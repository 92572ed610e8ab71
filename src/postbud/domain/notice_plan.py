"""A letter's notice as Altinn-style APIs ask for it: a channel choice, a template, a language, the
sender's texts, and optionally one reminder with its own texts and channel choice.

Digipost's per-notice requests (``shipments.NotificationRequest``) stay as they are; a letter may carry
either. ``plan_errors`` checks a plan against its own rules (own-text notices need a text per channel).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from postbud.domain.errors import FieldError, RuleCode
from postbud.domain.notice_channels import ContactDetails, NoticeChannelChoice, channels_of
from postbud.domain.notice_templates import NoticeLanguage, NoticeTemplate, NoticeTexts, missing_texts

DEFAULT_REMINDER_DELAY = timedelta(days=7)
"""Altinn reminds after 7 days in production (1 day in its test environments)."""


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    after: timedelta = DEFAULT_REMINDER_DELAY
    """After delivery; sent only while the letter is unread."""
    choice: NoticeChannelChoice | None = None
    """None: the notice's own choice."""
    texts: NoticeTexts = field(default_factory=NoticeTexts)


@dataclass(frozen=True, slots=True)
class NoticePlan:
    choice: NoticeChannelChoice
    template: NoticeTemplate = NoticeTemplate.OWN_TEXT
    language: NoticeLanguage = NoticeLanguage.NB
    texts: NoticeTexts = field(default_factory=NoticeTexts)
    reminder: ReminderPlan | None = None
    resource_name: str | None = None
    """The title of the letter's service (Altinn: its resource's title), for ``{resource_name}``."""
    also_to: tuple[ContactDetails, ...] = ()
    """Others to tell, each by the plan's channel choice as the recipient is (Altinn's custom
    recipients): an e-mail address or a mobile number each."""
    only_also_to: bool = False
    """Tell only ``also_to``, not the recipient's own contact details."""

    @property
    def reminder_choice(self) -> NoticeChannelChoice:
        return (self.reminder.choice if self.reminder else None) or self.choice


def plan_errors(plan: NoticePlan, *, field: str = "notification") -> list[FieldError]:
    errors = missing_texts(plan.template, plan.texts, channels_of(plan.choice), field=field)
    if plan.reminder is not None:
        if plan.reminder.after <= timedelta(0):
            errors.append(
                FieldError(f"{field}.reminder.after", "must be after the delivery", RuleCode.INVALID)
            )
        errors += missing_texts(
            plan.template, plan.reminder.texts, channels_of(plan.reminder_choice), field=f"{field}.reminder"
        )
    return errors
