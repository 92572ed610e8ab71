"""Every error the Ekopost dialect gives reaches an SDK user as an exception carrying its code: the
call that breaks each rule, made through the SDK against the live app, raises ``EkopostApiError``
(``EkopostNotFoundError`` for 404) with the seed's ``error_code``, the catalogue's
``error_message``, a ``developer_message`` naming the field or object, and the HTTP status."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from postbud.sdk.ekopost import (
    ContentType,
    EbankAddress,
    EdiSender,
    EinboxAddress,
    EinboxSignerAddress,
    EinvoiceAddress,
    EinvoiceFormat,
    EkopostApiError,
    EkopostClient,
    EkopostNotFoundError,
    EmailAddress,
    NewCampaign,
    NewContent,
    NewEnvelope,
    Postage,
    PostalAddress,
    ProtectedAddress,
    SmsMailing,
)
from tests.integration.test_ekopost_fixtures import OTHER_ORGNR, SE_PERSON_WITH_MAILBOX, letter_pdf
from tests.integration.test_ekopost_sdk_fixtures import LiveEkopost, live

__all__ = ["live"]
SVEFAKTURA = b'<?xml version="1.0"?><Invoice xmlns="urn:sfti:documents:BasicInvoice:1:0"/>'
UNKNOWN = str(uuid.uuid4())


@dataclass(frozen=True)
class Case:
    code: str
    breaks: Callable[[EkopostClient], Any]
    status: int = 400


class Scene:
    """An opened campaign with an empty envelope and one holding its document."""

    def __init__(self, client: EkopostClient, orgnr: str) -> None:
        self.client = client
        self.orgnr = orgnr
        self.campaign = client.create_campaign(NewCampaign(name="Fel")).id
        self.empty = self.envelope()
        self.with_document = self.envelope()
        self.add(self.with_document, NewContent.document(letter_pdf()))

    def envelope(self, campaign: str | None = None, **fields: Any) -> str:
        return self.client.create_envelope(campaign or self.campaign, NewEnvelope(name="Brev", **fields)).id

    def add(self, envelope: str, content: NewContent, campaign: str | None = None) -> str:
        return self.client.create_content(campaign or self.campaign, envelope, content).id

    def close(self, envelope: str, campaign: str | None = None) -> None:
        self.client.close_envelope(campaign or self.campaign, envelope)

    def einvoice(self, fmt: EinvoiceFormat, recipient: str = OTHER_ORGNR) -> EinvoiceAddress:
        return EinvoiceAddress(format=fmt, sender=self.orgnr, recipient=recipient, recipient_type="SE.REGNO")


def _cases(scene: Scene) -> dict[str, Case]:
    client = scene.client
    c = scene.campaign

    def close_twice(_: EkopostClient) -> None:
        envelope = scene.envelope()
        scene.add(envelope, NewContent.document(letter_pdf()))
        scene.close(envelope)
        scene.close(envelope)

    def einvoice_without_markup(_: EkopostClient) -> None:
        envelope = scene.envelope(address=scene.einvoice(EinvoiceFormat.SVEFAKTURA_1_0))
        scene.add(envelope, NewContent.document(letter_pdf()))
        scene.close(envelope)

    def two_markups(_: EkopostClient) -> None:
        envelope = scene.envelope(address=scene.einvoice(EinvoiceFormat.SVEFAKTURA_1_0))
        scene.add(envelope, NewContent.document(letter_pdf()))
        scene.add(envelope, NewContent.markup(SVEFAKTURA))
        scene.add(envelope, NewContent.markup(SVEFAKTURA))

    def no_window_address(_: EkopostClient) -> None:
        envelope = scene.envelope()
        scene.add(envelope, NewContent.document(letter_pdf(())))
        scene.close(envelope)

    def into_cancelled(_: EkopostClient) -> None:
        cancelled = client.create_campaign(NewCampaign(name="Inställd")).id
        client.cancel_campaign(cancelled)
        scene.envelope(cancelled)

    def unique_twice(_: EkopostClient) -> None:
        scene.envelope(unique_id="faktura-17")
        scene.envelope(unique_id="faktura-17")

    def replymail_without_template(_: EkopostClient) -> None:
        campaign = client.create_campaign(NewCampaign(name="Svar", replymail=True)).id
        envelope = scene.envelope(campaign)
        scene.add(envelope, NewContent.document(letter_pdf()), campaign)
        scene.close(envelope, campaign)

    long_name = PostalAddress(
        name=["X" * 36], street=["Storgatan 1"], postal_code="12345", city="Stockholm", use_coverpage=True
    )
    bad_country = PostalAddress(
        name=["Tolvan"], postal_code="12345", city="Sthlm", country="XX", use_coverpage=True
    )
    ebank = EbankAddress(
        recipient="999999999",
        customer_number="1",
        invoice_number="17",
        reference_type="ocr",
        reference_value="1234567897",
        giro_number="50501055",
        amount="100.00",
        invoice_date="2026-12-01",
        due_date="2026-12-31",
    )

    def unknown_fui(_: EkopostClient) -> None:
        envelope = scene.envelope(address=ebank)
        scene.add(envelope, NewContent.document(letter_pdf()))
        scene.close(envelope)

    return {
        "100A": Case("100A", lambda cl: cl.close_envelope(c, scene.empty)),
        "100B": Case("100B", einvoice_without_markup),
        "101": Case("101", lambda cl: cl.close_campaign(cl.create_campaign(NewCampaign(name="Tom")).id)),
        "102": Case("102", lambda cl: cl.close_campaign(c)),
        "103": Case("103", lambda _: scene.add(scene.with_document, NewContent.document(letter_pdf()))),
        "104": Case("104", lambda _: scene.add(scene.empty, NewContent(data=b"Hej", mime="text/plain"))),
        "105": Case("105", no_window_address),
        "106": Case("106", lambda cl: cl.get_campaign(UNKNOWN), 404),
        "107": Case("107", lambda _: scene.add(scene.envelope(), NewContent.document(b"%PDF-1.4 broken"))),
        "108": Case(
            "108",
            lambda _: scene.add(
                scene.with_document, NewContent(data=b"Hej", type=ContentType.ATTACHMENT, mime="text/plain")
            ),
        ),
        "109": Case(
            "109",
            lambda _: scene.add(scene.with_document, NewContent(data=SVEFAKTURA, type=ContentType.MARKUP)),
        ),
        "110": Case("110", two_markups),
        "111": Case("111", lambda cl: cl.get_envelope(c, UNKNOWN), 404),
        "112": Case("112", lambda _: scene.envelope(address=bad_country)),
        "115": Case("115", lambda cl: cl.list_campaigns(start="i förrgår")),
        "116": Case("116", lambda cl: cl.list_campaigns(start=date(2026, 2, 1), stop=date(2026, 1, 1))),
        "119": Case("119", lambda _: scene.envelope(address=EinboxAddress(subject="Ingen mottagare"))),
        "120": Case("120", lambda _: scene.envelope(address=EmailAddress(subject="Ingen adress"))),
        "121": Case("121", into_cancelled),
        "122": Case(
            "122", lambda _: scene.envelope(address=EinboxSignerAddress(info_mail="a@b.se", signers=[]))
        ),
        "123": Case("123", lambda _: scene.envelope(address=EmailAddress(email="inte en adress"))),
        "124": Case("124", unknown_fui),
        "126": Case("126", unique_twice),
        "127": Case("127", close_twice),
        "131": Case(
            "131", lambda cl: cl.send_sms(SmsMailing(text="Hej", from_name="Eko", recipients=["abc"]))
        ),
        "132": Case("132", lambda cl: cl.send_sms(SmsMailing(text="Hej", from_name="Eko", recipients=[]))),
        "133": Case(
            "133", lambda cl: cl.send_sms(SmsMailing(text="Hej", from_name="", recipients=["+46701234567"]))
        ),
        "135": Case("135", lambda _: scene.envelope(address=long_name, postage=Postage.REK)),
        "137": Case("137", lambda _: scene.add(scene.envelope(), NewContent.attachment(letter_pdf()))),
        "137 (404)": Case("137", lambda cl: cl.get_content(c, scene.with_document, UNKNOWN), 404),
        "138": Case(
            "138",
            lambda _: scene.envelope(address=scene.einvoice(EinvoiceFormat.SVEFAKTURA_1_0, scene.orgnr)),
        ),
        "139": Case("139", lambda _: scene.envelope(address=EinboxAddress(recipient="123"))),
        "140": Case(
            "140",
            lambda _: scene.envelope(
                address=ProtectedAddress(recipient=SE_PERSON_WITH_MAILBOX), postage=Postage.PROTECTED
            ),
        ),
        "142": Case("142", replymail_without_template),
        "129 sms": Case(
            "129", lambda cl: cl.send_sms(SmsMailing(text="", from_name="Eko", recipients=["abc"]))
        ),
        "134": Case(
            "134",
            lambda cl: cl.send_sms(
                SmsMailing(text="Hej", from_name="Eko", recipients=["0701234567"] * 100_001)
            ),
        ),
        "127 sms (404)": Case("127", lambda cl: cl.sms_status(UNKNOWN), 404),
        "127 edi": Case("127", lambda cl: cl.edi_create_sender(EdiSender(name="Eko AB", cin="5568384119"))),
    }


def test_every_error_is_an_exception_with_its_code(live: LiveEkopost) -> None:
    wrong: list[str] = []
    with live.client() as client:
        for name, case in _cases(Scene(client, live.orgnr)).items():
            try:
                case.breaks(client)
            except EkopostApiError as error:
                got = (error.error_code, error.status)
                if got != (case.code, case.status):
                    wrong.append(f"{name}: got {got} {error.developer_message}")
                elif not (error.error_message and error.developer_message):
                    wrong.append(f"{name}: no messages in {error.body!r}")
                elif (case.status == 404) != isinstance(error, EkopostNotFoundError):
                    wrong.append(f"{name}: {type(error).__name__} for HTTP {case.status}")
                elif case.status == 501 and not error.not_implemented:
                    wrong.append(f"{name}: not marked not implemented")
            else:
                wrong.append(f"{name}: no error")
    assert wrong == []


def test_wrong_credentials_are_code_0(live: LiveEkopost) -> None:
    with EkopostClient(live.base_url, "no-such-key") as client, pytest.raises(EkopostApiError) as error:
        client.create_campaign(NewCampaign(name="Nej"))
    assert (error.value.error_code, error.value.status) == ("0", 400)
    assert not isinstance(error.value, EkopostNotFoundError)
