"""Every call of the Ekopost API as a ``Call``: the request to send and how to read its answer.

The blocking and the asyncio client share these, so they cannot drift apart; they only add the
credentials and move bytes. Paths are relative to the base URL (``http://api.sandbox.ekopost.se/``
or Postbud's ``http://HOST:PORT/ekopost/``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from .errors import UnexpectedResponseError
from .messaging import EdiInvitation, EdiSender, SmsMailing
from .models import Campaign, Content, Envelope, NewCampaign, NewContent, NewEnvelope
from .reachability import EinvoiceReadiness, MastercardPerson, PeppolMatch
from .sms_status import SmsMailingStatus
from .values import ReachableType
from .wire import as_list, as_object, query, read_text, without_nones

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    method: str
    path: str
    read: Callable[[Any], T]
    """Reads the answer's parsed JSON."""
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    """The JSON body; ``None`` for a GET. Closes and cancels send ``{}``."""
    on_not_found: Callable[[], T] | None = None
    """The result of a 404 answer, for calls where 404 is an answer (``reachable``), not an error."""

    def encoded_body(self) -> bytes | None:
        if self.body is None:
            return None
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError as exc:
        raise UnexpectedResponseError(f"the answer is not JSON: {body[:200]!r}") from exc


def _segment(value: object) -> str:
    return quote(str(value), safe="")


def _campaign_path(campaign_id: str) -> str:
    return f"campaigns/{_segment(campaign_id)}"


def _envelope_path(campaign_id: str, envelope_id: str) -> str:
    return f"{_campaign_path(campaign_id)}/envelopes/{_segment(envelope_id)}"


def _list(read: Callable[[Any], T], what: str) -> Callable[[Any], list[T]]:
    return lambda wire: [read(item) for item in as_list(wire, what)]


def _raw(wire: Any) -> Any:
    return wire


_EMPTY: dict[str, Any] = {}

# ---------------------------------------------------------------------------------------- campaigns


def create_campaign(campaign: NewCampaign) -> Call[Campaign]:
    return Call("POST", "campaigns", Campaign.from_wire, body=campaign.to_wire())


def get_campaign(campaign_id: str) -> Call[Campaign]:
    return Call("GET", _campaign_path(campaign_id), Campaign.from_wire)


def list_campaigns(
    *,
    start: date | datetime | str | None = None,
    stop: date | datetime | str | None = None,
    name: str | None = None,
    state: str | None = None,
) -> Call[list[Campaign]]:
    params = query({"start": start, "stop": stop, "name": name, "state": state})
    return Call("GET", "campaigns", _list(Campaign.from_wire, "campaigns"), params=params)


def close_campaign(campaign_id: str) -> Call[Campaign]:
    return Call("POST", f"{_campaign_path(campaign_id)}/close", Campaign.from_wire, body=_EMPTY)


def cancel_campaign(campaign_id: str) -> Call[Campaign]:
    return Call("POST", f"{_campaign_path(campaign_id)}/cancel", Campaign.from_wire, body=_EMPTY)


# ---------------------------------------------------------------------------------------- envelopes


def create_envelope(campaign_id: str, envelope: NewEnvelope) -> Call[Envelope]:
    path = f"{_campaign_path(campaign_id)}/envelopes"
    return Call("POST", path, Envelope.from_wire, body=envelope.to_wire())


def get_envelope(campaign_id: str, envelope_id: str) -> Call[Envelope]:
    return Call("GET", _envelope_path(campaign_id, envelope_id), Envelope.from_wire)


def list_envelopes(
    campaign_id: str, *, name: str | None = None, state: str | None = None
) -> Call[list[Envelope]]:
    path = f"{_campaign_path(campaign_id)}/envelopes"
    params = query({"name": name, "state": state})
    return Call("GET", path, _list(Envelope.from_wire, "envelopes"), params=params)


def list_failed_envelopes(
    campaign_id: str,
    *,
    name: str | None = None,
    state: str | None = None,
    address_type: str | None = None,
) -> Call[list[Envelope]]:
    path = f"{_campaign_path(campaign_id)}/envelopes/failed"
    params = query({"name": name, "state": state, "address_type": address_type})
    return Call("GET", path, _list(Envelope.from_wire, "envelopes"), params=params)


def close_envelope(campaign_id: str, envelope_id: str) -> Call[Envelope]:
    return Call("POST", f"{_envelope_path(campaign_id, envelope_id)}/close", Envelope.from_wire, body=_EMPTY)


def cancel_envelope(campaign_id: str, envelope_id: str) -> Call[Envelope]:
    return Call("POST", f"{_envelope_path(campaign_id, envelope_id)}/cancel", Envelope.from_wire, body=_EMPTY)


# ---------------------------------------------------------------------------------------- content


def create_content(campaign_id: str, envelope_id: str, content: NewContent) -> Call[Content]:
    path = f"{_envelope_path(campaign_id, envelope_id)}/content"
    return Call("POST", path, Content.from_wire, body=content.to_wire())


def get_content(campaign_id: str, envelope_id: str, content_id: str) -> Call[Content]:
    path = f"{_envelope_path(campaign_id, envelope_id)}/content/{_segment(content_id)}"
    return Call("GET", path, Content.from_wire)


# ---------------------------------------------------------------------------------------- reachable


def _none() -> None:
    return None


def _nobody() -> list[str]:
    return []


def reachable(kind: ReachableType | str, recipient: str, *, sender: str | None = None) -> Call[str | None]:
    """The recipient echoed when reachable; ``None`` (404) when not."""

    def read(wire: Any) -> str | None:
        return read_text(as_object(wire, "a reachable answer").get("recipient"))

    body = without_nones({"recipient": recipient, "sender": sender})
    return Call("POST", f"reachable/{_segment(kind)}", read, body=body, on_not_found=_none)


def reachable_many(
    kind: ReachableType | str, recipients: Sequence[str], *, sender: str | None = None
) -> Call[list[str]]:
    """The reachable ones of ``recipients``; ``[]`` (404) when none is."""

    def read(wire: Any) -> list[str]:
        found = as_object(wire, "a reachable answer").get("recipients") or []
        return [str(item) for item in as_list(found, "recipients")]

    body = without_nones({"recipients": list(recipients), "sender": sender})
    return Call("POST", f"reachable/{_segment(kind)}", read, body=body, on_not_found=_nobody)


def mastercard_reachable(person: MastercardPerson) -> Call[str | None]:
    """The service's ``response`` when the person receives eFaktura; ``None`` (404) when not."""

    def read(wire: Any) -> str | None:
        return read_text(as_object(wire, "a reachable answer").get("response"))

    return Call("POST", "reachable/mastercard", read, body=person.to_wire(), on_not_found=_none)


def ebank_receivers(sender: str | None = None) -> Call[list[str]]:
    """Every receiver of internet-bank invoices (for the FUI ``sender``); ``[]`` (404) when none."""

    def read(wire: Any) -> list[str]:
        found = as_object(wire, "an ebank list").get("recipient") or []
        return [str(item) for item in as_list(found, "recipient")]

    return Call(
        "POST", "reachable/ebank/list", read, body=without_nones({"sender": sender}), on_not_found=_nobody
    )


def peppol_lookup(search: str) -> Call[list[PeppolMatch]]:
    """Participants of the Peppol network matching a name, organisation number or VAT number."""

    def read(wire: Any) -> list[PeppolMatch]:
        matches = as_object(wire, "a Peppol directory answer").get("matches") or []
        return [PeppolMatch.from_wire(match) for match in as_list(matches, "matches")]

    return Call("GET", "reachable/peppol", read, params={"Recipient": search})


def einvoice_ready(
    *,
    receiver_cin: str | None = None,
    sender_cin: str | None = None,
    receiver_gln: str | None = None,
    sender_gln: str | None = None,
) -> Call[EinvoiceReadiness]:
    body = without_nones(
        {
            "ReceiverCin": receiver_cin,
            "SenderCin": sender_cin,
            "ReceiverGln": receiver_gln,
            "SenderGln": sender_gln,
        }
    )
    return Call("POST", "reachable/einvoiceready", EinvoiceReadiness.from_wire, body=body)


# ---------------------------------------------------------------------------------------- SMS, EDI


def send_sms(mailing: SmsMailing) -> Call[SmsMailingStatus]:
    return Call("POST", "sms", SmsMailingStatus.from_wire, body=mailing.to_wire())


def sms_status(
    mailing_id: str, *, offset: int | None = None, limit: int | None = None
) -> Call[SmsMailingStatus]:
    params = query({"offset": offset, "limit": limit})
    return Call("GET", f"sms/{_segment(mailing_id)}", SmsMailingStatus.from_wire, params=params)


def edi_create_sender(sender: EdiSender) -> Call[str | None]:
    def read(wire: Any) -> str | None:
        return read_text(as_object(wire, "an EDI answer").get("message"))

    return Call("POST", "edi/sender", read, body=sender.to_wire())


def edi_invitations() -> Call[list[EdiInvitation]]:
    return Call("GET", "edi/invitations", _list(EdiInvitation.from_wire, "invitations"))


def edi_update_invitations() -> Call[list[EdiInvitation]]:
    return Call("POST", "edi/invitations", _list(EdiInvitation.from_wire, "invitations"), body=_EMPTY)
