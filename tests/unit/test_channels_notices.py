"""Notice channel choices against contact details, templates rendered in the core, plan rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from postbud.domain.channel_options import ChannelOptions, channel_options_errors
from postbud.domain.channels import Channel
from postbud.domain.errors import RuleCode
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.notice_channels import (
    ContactDetails,
    NoticeChannelChoice,
    NoticeOutcome,
    choose_notice_targets,
    expected_outcome,
)
from postbud.domain.notice_plan import NoticePlan, ReminderPlan, plan_errors
from postbud.domain.notice_templates import (
    NoticeFacts,
    NoticeLanguage,
    NoticeTemplate,
    NoticeTexts,
    fill,
    render_notice,
)

C = NoticeChannelChoice
BOTH = ContactDetails(email="kari@example.no", mobile="+4791234567")
EMAIL_ONLY = ContactDetails(email="kari@example.no")
SMS_ONLY = ContactDetails(mobile="+4791234567")
NONE = ContactDetails()


@pytest.mark.parametrize(
    ("choice", "contacts", "channels"),
    [
        (C.EMAIL, BOTH, [Channel.EMAIL]),
        (C.EMAIL, SMS_ONLY, []),
        (C.SMS, BOTH, [Channel.SMS]),
        (C.SMS, EMAIL_ONLY, []),
        (C.EMAIL_PREFERRED, BOTH, [Channel.EMAIL]),
        (C.EMAIL_PREFERRED, SMS_ONLY, [Channel.SMS]),
        (C.SMS_PREFERRED, BOTH, [Channel.SMS]),
        (C.SMS_PREFERRED, EMAIL_ONLY, [Channel.EMAIL]),
        (C.EMAIL_AND_SMS, BOTH, [Channel.EMAIL, Channel.SMS]),
        (C.EMAIL_AND_SMS, SMS_ONLY, [Channel.SMS]),
        (C.EMAIL_AND_SMS, NONE, []),
        (C.EMAIL_PREFERRED, NONE, []),
    ],
)
def test_the_choice_and_the_contacts_decide_the_channels(
    choice: NoticeChannelChoice, contacts: ContactDetails, channels: list[Channel]
) -> None:
    routing = choose_notice_targets(choice, contacts)
    assert [t.channel for t in routing.targets] == channels
    outcome = NoticeOutcome.SENT if channels else NoticeOutcome.MISSING_CONTACT
    assert expected_outcome(choice, contacts) is outcome
    assert routing.missing_contact is (not channels)
    for target in routing.targets:
        assert target.address == contacts.address_for(target.channel)


def test_reasons_say_why_a_fallback_or_nothing() -> None:
    assert choose_notice_targets(C.EMAIL_PREFERRED, SMS_ONLY).reason == "no email address, so sms"
    assert (
        choose_notice_targets(C.SMS, EMAIL_ONLY).reason == "missing contact: the recipient has no sms address"
    )
    assert choose_notice_targets(C.SMS_PREFERRED, NONE).reason == (
        "missing contact: the recipient has no sms or email address"
    )


FACTS = NoticeFacts(
    sender_name="Skatteverket", recipient_name="Sven Svensson", title="Slutskattebesked", link="https://p/l/1"
)


def test_own_text_is_the_senders_words_with_placeholders_filled() -> None:
    own = NoticeTexts(
        email_subject="Brev från {sender_name}",
        email_body="Hej {recipient_name}! {title}: se {link}. {unknown} stays",
        sms_body="{sender_name}: nytt brev",
    )
    notice = render_notice(NoticeTemplate.OWN_TEXT, NoticeLanguage.EN, own, FACTS)
    assert notice.email_subject == "Brev från Skatteverket"
    assert notice.email_body == "Hej Sven Svensson! Slutskattebesked: se https://p/l/1. {unknown} stays"
    assert notice.sms_body == "Skatteverket: nytt brev"
    assert notice.for_channel(Channel.SMS) == ("Brev från Skatteverket", "Skatteverket: nytt brev")


def test_a_filled_in_value_is_never_read_for_placeholders_again() -> None:
    sly = NoticeFacts(sender_name="{recipient_name}", recipient_name="Kari", title="{link}", link="L")
    assert (
        fill("{sender_name} / {title} / {recipient_name}", sly.values()) == "{recipient_name} / {link} / Kari"
    )


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        (
            NoticeLanguage.NB,
            "Ny melding fra Skatteverket",
            "Hei Sven Svensson. Du har mottatt en ny melding fra Skatteverket: «Slutskattebesked». "
            "Logg inn for å lese den: https://p/l/1",
        ),
        (
            NoticeLanguage.NN,
            "Ny melding frå Skatteverket",
            "Hei Sven Svensson. Du har fått ei ny melding frå Skatteverket: «Slutskattebesked». "
            "Logg inn for å lese ho: https://p/l/1",
        ),
        (
            NoticeLanguage.EN,
            "New message from Skatteverket",
            "Hello Sven Svensson. You have received a new message from Skatteverket: “Slutskattebesked”. "
            "Log in to read it: https://p/l/1",
        ),
    ],
)
def test_the_generic_template_speaks_the_language(language: NoticeLanguage, subject: str, body: str) -> None:
    notice = render_notice(NoticeTemplate.GENERIC, language, NoticeTexts(), FACTS)
    assert (notice.email_subject, notice.email_body, notice.sms_body) == (subject, body, body)


def test_the_generic_template_keeps_the_senders_text_and_tells_nothing_of_a_sensitive_letter() -> None:
    sensitive = NoticeFacts(sender_name="NAV", recipient_name=None, title=None, link="https://p/l/2")
    own = NoticeTexts(email_body="Svarfrist {title}14 dager.", email_subject="Fra {sender_name}")
    notice = render_notice(NoticeTemplate.GENERIC, NoticeLanguage.NB, own, sensitive, reminder=True)
    assert notice.email_subject == "Fra NAV"
    assert notice.email_body == (
        "Påminnelse: Du har mottatt en ny melding fra NAV. Svarfrist 14 dager. Logg inn for å lese den: https://p/l/2"
    )
    assert (
        notice.sms_body
        == "Påminnelse: Du har mottatt en ny melding fra NAV. Logg inn for å lese den: https://p/l/2"
    )


def test_an_own_text_plan_needs_a_text_for_every_channel_it_may_use() -> None:
    email_texts = NoticeTexts(email_subject="S", email_body="B")
    assert plan_errors(NoticePlan(C.EMAIL, texts=email_texts)) == []
    errors = plan_errors(NoticePlan(C.EMAIL_PREFERRED, texts=email_texts))
    assert [(e.field, e.code) for e in errors] == [("notification.sms_body", RuleCode.REQUIRED)]
    blank = plan_errors(NoticePlan(C.EMAIL_AND_SMS, texts=NoticeTexts(email_subject=" ")))
    assert [e.field for e in blank] == [
        "notification.email_subject",
        "notification.email_body",
        "notification.sms_body",
    ]
    assert plan_errors(NoticePlan(C.EMAIL_AND_SMS, template=NoticeTemplate.GENERIC)) == []


def test_a_reminder_has_its_own_texts_and_channel_choice() -> None:
    plan = NoticePlan(
        C.EMAIL,
        texts=NoticeTexts(email_subject="S", email_body="B"),
        reminder=ReminderPlan(after=timedelta(days=7), choice=C.SMS),
    )
    assert plan.reminder_choice is C.SMS
    assert [e.field for e in plan_errors(plan)] == ["notification.reminder.sms_body"]
    late = NoticePlan(C.EMAIL, template=NoticeTemplate.GENERIC, reminder=ReminderPlan(after=timedelta(0)))
    assert [(e.field, e.code) for e in plan_errors(late)] == [
        ("notification.reminder.after", RuleCode.INVALID)
    ]
    assert NoticePlan(C.SMS, reminder=ReminderPlan()).reminder_choice is C.SMS


def test_a_letters_channel_options_are_checked_as_a_whole() -> None:
    assert channel_options_errors(ChannelOptions()) == []
    kivra = MailboxProvider.KIVRA
    bad = ChannelOptions(mailbox_providers=(kivra, kivra), notice=NoticePlan(C.SMS))
    assert [(e.field, e.code) for e in channel_options_errors(bad)] == [
        ("channel_options.mailbox_providers", RuleCode.NOT_UNIQUE),
        ("channel_options.notice.sms_body", RuleCode.REQUIRED),
    ]
    assert [e.code for e in channel_options_errors(ChannelOptions(mailbox_providers=()))] == [RuleCode.EMPTY]
