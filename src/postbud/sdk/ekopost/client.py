"""`EkopostClient` (blocking) and `AsyncEkopostClient` (asyncio): the same methods, call by call.

Both only add the credentials and move bytes; requests and answers are built and read in
:mod:`operations`. Point ``base_url`` at Postbud (``http://127.0.0.1:8080/ekopost/``, or the root
of ``postbud serve --ekopost-port``) or at Ekopost (``http://api.sandbox.ekopost.se/``,
``https://api.ekopost.se/``).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx2

from . import operations as ops
from .addresses import Address, PostalAddress
from .errors import EkopostApiError, EkopostClientError, EkopostConnectionError, error_object
from .letter import Steps, send_letter_steps
from .messaging import EdiInvitation, EdiSender, SmsMailing
from .models import Campaign, Content, Envelope, NewCampaign, NewContent, NewEnvelope, SentLetter
from .operations import Call, parse_json
from .reachability import EinvoiceReadiness, MastercardPerson, PeppolMatch
from .sms_status import SmsMailingStatus
from .values import Plex, Postage, ReachableType

__all__ = ["PRODUCTION_BASE_URL", "SANDBOX_BASE_URL", "AsyncEkopostClient", "EkopostClient"]

T = TypeVar("T")
SANDBOX_BASE_URL = "http://api.sandbox.ekopost.se/"
PRODUCTION_BASE_URL = "https://api.ekopost.se/"
USER_AGENT = "postbud-sdk-ekopost/1"
JSON_TYPE = "application/json; charset=UTF-8"


def authorization(api_key: str | None, username: str | None, password: str | None) -> str:
    """``api-key KEY`` (recommended by Ekopost) or ``Basic base64(username:password)``."""
    if api_key is not None and (username is not None or password is not None):
        raise ValueError("give either api_key or username and password, not both")
    if api_key is not None:
        if not api_key.strip():
            raise ValueError("api_key is empty")
        return f"api-key {api_key.strip()}"
    if username is None or password is None:
        raise ValueError("give api_key, or both username and password")
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def _base(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _request_arguments(call: Call[Any], authorization_value: str) -> dict[str, Any]:
    headers = {"Authorization": authorization_value, "Accept": "application/json", "User-Agent": USER_AGENT}
    arguments: dict[str, Any] = {"params": call.params or None, "headers": headers}
    body = call.encoded_body()
    if body is not None:
        headers["Content-Type"] = JSON_TYPE
        arguments["content"] = body
    return arguments


def _answer(call: Call[T], response: httpx2.Response) -> T:
    status, body = response.status_code, response.content
    if status == 404 and call.on_not_found is not None:
        return call.on_not_found()
    # Like the published clients: an error object is an error whatever the status says.
    if not 200 <= status < 300 or error_object(body) is not None:
        raise EkopostApiError.from_response(status, body)
    return call.read(parse_json(body))


class EkopostClient:
    """Blocking client. Authenticate with ``api_key`` (``Authorization: api-key KEY``) or with
    ``username`` and ``password`` (HTTP Basic). Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        verify: bool = True,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        self.base_url = _base(base_url)
        self._authorization = authorization(api_key, username, password)
        self._http = httpx2.Client(
            base_url=self.base_url, timeout=timeout, verify=verify, transport=transport
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _run(self, call: Call[T]) -> T:
        try:
            response = self._http.request(
                call.method, call.path, **_request_arguments(call, self._authorization)
            )
        except httpx2.TransportError as exc:
            raise EkopostConnectionError(f"{call.method} {self.base_url}{call.path}: {exc}") from exc
        return _answer(call, response)

    def _drive(self, steps: Steps) -> SentLetter:
        call = next(steps)
        while True:
            try:
                result = self._run(call)
            except EkopostClientError as exc:
                call = steps.throw(exc)
                continue
            try:
                call = steps.send(result)
            except StopIteration as done:
                letter: SentLetter = done.value
                return letter

    # -------------------------------------------------------------------------------- campaigns

    def create_campaign(self, campaign: NewCampaign) -> Campaign:
        return self._run(ops.create_campaign(campaign))

    def get_campaign(self, campaign_id: str) -> Campaign:
        return self._run(ops.get_campaign(campaign_id))

    def list_campaigns(
        self,
        *,
        start: date | datetime | str | None = None,
        stop: date | datetime | str | None = None,
        name: str | None = None,
        state: str | None = None,
    ) -> list[Campaign]:
        """Campaigns created in [start, stop) (default: today), newest first."""
        return self._run(ops.list_campaigns(start=start, stop=stop, name=name, state=state))

    def close_campaign(self, campaign_id: str) -> Campaign:
        return self._run(ops.close_campaign(campaign_id))

    def cancel_campaign(self, campaign_id: str) -> Campaign:
        return self._run(ops.cancel_campaign(campaign_id))

    # -------------------------------------------------------------------------------- envelopes

    def create_envelope(self, campaign_id: str, envelope: NewEnvelope) -> Envelope:
        return self._run(ops.create_envelope(campaign_id, envelope))

    def get_envelope(self, campaign_id: str, envelope_id: str) -> Envelope:
        return self._run(ops.get_envelope(campaign_id, envelope_id))

    def list_envelopes(
        self, campaign_id: str, *, name: str | None = None, state: str | None = None
    ) -> list[Envelope]:
        return self._run(ops.list_envelopes(campaign_id, name=name, state=state))

    def list_failed_envelopes(
        self,
        campaign_id: str,
        *,
        name: str | None = None,
        state: str | None = None,
        address_type: str | None = None,
    ) -> list[Envelope]:
        return self._run(
            ops.list_failed_envelopes(campaign_id, name=name, state=state, address_type=address_type)
        )

    def close_envelope(self, campaign_id: str, envelope_id: str) -> Envelope:
        return self._run(ops.close_envelope(campaign_id, envelope_id))

    def cancel_envelope(self, campaign_id: str, envelope_id: str) -> Envelope:
        return self._run(ops.cancel_envelope(campaign_id, envelope_id))

    # -------------------------------------------------------------------------------- content

    def create_content(self, campaign_id: str, envelope_id: str, content: NewContent) -> Content:
        return self._run(ops.create_content(campaign_id, envelope_id, content))

    def get_content(self, campaign_id: str, envelope_id: str, content_id: str) -> Content:
        return self._run(ops.get_content(campaign_id, envelope_id, content_id))

    # -------------------------------------------------------------------------------- one letter

    def send_letter(
        self,
        document: bytes,
        *,
        address: Address | None = None,
        name: str = "Letter",
        campaign_name: str | None = None,
        output_date: date | datetime | str | None = None,
        cost_center: str | None = None,
        postage: Postage | str = Postage.PRIORITY,
        plex: Plex | str = Plex.SIMPLEX,
        color: bool = False,
        attachments: Sequence[bytes] = (),
        return_address: PostalAddress | None = None,
        unique_id: str | None = None,
    ) -> SentLetter:
        """Campaign → envelope → document (and attachments) → close both; the ids in the answer.
        On a failure after the campaign was made, it is cancelled and the failure raised."""
        return self._drive(
            send_letter_steps(
                document,
                address=address,
                name=name,
                campaign_name=campaign_name,
                output_date=output_date,
                cost_center=cost_center,
                postage=postage,
                plex=plex,
                color=color,
                attachments=attachments,
                return_address=return_address,
                unique_id=unique_id,
            )
        )

    # -------------------------------------------------------------------------------- reachable

    def reachable(
        self, kind: ReachableType | str, recipient: str, *, sender: str | None = None
    ) -> str | None:
        """The recipient echoed when reachable by ``kind`` (einbox, ebank, einvoice), else ``None``."""
        return self._run(ops.reachable(kind, recipient, sender=sender))

    def reachable_many(
        self, kind: ReachableType | str, recipients: Sequence[str], *, sender: str | None = None
    ) -> list[str]:
        return self._run(ops.reachable_many(kind, recipients, sender=sender))

    def mastercard_reachable(self, person: MastercardPerson) -> str | None:
        return self._run(ops.mastercard_reachable(person))

    def ebank_receivers(self, sender: str | None = None) -> list[str]:
        return self._run(ops.ebank_receivers(sender))

    def peppol_lookup(self, search: str) -> list[PeppolMatch]:
        return self._run(ops.peppol_lookup(search))

    def einvoice_ready(
        self,
        *,
        receiver_cin: str | None = None,
        sender_cin: str | None = None,
        receiver_gln: str | None = None,
        sender_gln: str | None = None,
    ) -> EinvoiceReadiness:
        return self._run(
            ops.einvoice_ready(
                receiver_cin=receiver_cin,
                sender_cin=sender_cin,
                receiver_gln=receiver_gln,
                sender_gln=sender_gln,
            )
        )

    # -------------------------------------------------------------------------------- SMS, EDI

    def send_sms(self, mailing: SmsMailing) -> SmsMailingStatus:
        return self._run(ops.send_sms(mailing))

    def sms_status(
        self, mailing_id: str, *, offset: int | None = None, limit: int | None = None
    ) -> SmsMailingStatus:
        return self._run(ops.sms_status(mailing_id, offset=offset, limit=limit))

    def edi_create_sender(self, sender: EdiSender) -> str | None:
        return self._run(ops.edi_create_sender(sender))

    def edi_invitations(self) -> list[EdiInvitation]:
        return self._run(ops.edi_invitations())

    def edi_update_invitations(self) -> list[EdiInvitation]:
        return self._run(ops.edi_update_invitations())


class AsyncEkopostClient:
    """The asyncio twin of :class:`EkopostClient`; every call is a coroutine."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        verify: bool = True,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = _base(base_url)
        self._authorization = authorization(api_key, username, password)
        self._http = httpx2.AsyncClient(
            base_url=self.base_url, timeout=timeout, verify=verify, transport=transport
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _run(self, call: Call[T]) -> T:
        arguments = _request_arguments(call, self._authorization)
        try:
            response = await self._http.request(call.method, call.path, **arguments)
        except httpx2.TransportError as exc:
            raise EkopostConnectionError(f"{call.method} {self.base_url}{call.path}: {exc}") from exc
        return _answer(call, response)

    async def _drive(self, steps: Steps) -> SentLetter:
        call = next(steps)
        while True:
            try:
                result = await self._run(call)
            except EkopostClientError as exc:
                call = steps.throw(exc)
                continue
            try:
                call = steps.send(result)
            except StopIteration as done:
                letter: SentLetter = done.value
                return letter

    # -------------------------------------------------------------------------------- campaigns

    async def create_campaign(self, campaign: NewCampaign) -> Campaign:
        return await self._run(ops.create_campaign(campaign))

    async def get_campaign(self, campaign_id: str) -> Campaign:
        return await self._run(ops.get_campaign(campaign_id))

    async def list_campaigns(
        self,
        *,
        start: date | datetime | str | None = None,
        stop: date | datetime | str | None = None,
        name: str | None = None,
        state: str | None = None,
    ) -> list[Campaign]:
        """Campaigns created in [start, stop) (default: today), newest first."""
        return await self._run(ops.list_campaigns(start=start, stop=stop, name=name, state=state))

    async def close_campaign(self, campaign_id: str) -> Campaign:
        return await self._run(ops.close_campaign(campaign_id))

    async def cancel_campaign(self, campaign_id: str) -> Campaign:
        return await self._run(ops.cancel_campaign(campaign_id))

    # -------------------------------------------------------------------------------- envelopes

    async def create_envelope(self, campaign_id: str, envelope: NewEnvelope) -> Envelope:
        return await self._run(ops.create_envelope(campaign_id, envelope))

    async def get_envelope(self, campaign_id: str, envelope_id: str) -> Envelope:
        return await self._run(ops.get_envelope(campaign_id, envelope_id))

    async def list_envelopes(
        self, campaign_id: str, *, name: str | None = None, state: str | None = None
    ) -> list[Envelope]:
        return await self._run(ops.list_envelopes(campaign_id, name=name, state=state))

    async def list_failed_envelopes(
        self,
        campaign_id: str,
        *,
        name: str | None = None,
        state: str | None = None,
        address_type: str | None = None,
    ) -> list[Envelope]:
        return await self._run(
            ops.list_failed_envelopes(campaign_id, name=name, state=state, address_type=address_type)
        )

    async def close_envelope(self, campaign_id: str, envelope_id: str) -> Envelope:
        return await self._run(ops.close_envelope(campaign_id, envelope_id))

    async def cancel_envelope(self, campaign_id: str, envelope_id: str) -> Envelope:
        return await self._run(ops.cancel_envelope(campaign_id, envelope_id))

    # -------------------------------------------------------------------------------- content

    async def create_content(self, campaign_id: str, envelope_id: str, content: NewContent) -> Content:
        return await self._run(ops.create_content(campaign_id, envelope_id, content))

    async def get_content(self, campaign_id: str, envelope_id: str, content_id: str) -> Content:
        return await self._run(ops.get_content(campaign_id, envelope_id, content_id))

    # -------------------------------------------------------------------------------- one letter

    async def send_letter(
        self,
        document: bytes,
        *,
        address: Address | None = None,
        name: str = "Letter",
        campaign_name: str | None = None,
        output_date: date | datetime | str | None = None,
        cost_center: str | None = None,
        postage: Postage | str = Postage.PRIORITY,
        plex: Plex | str = Plex.SIMPLEX,
        color: bool = False,
        attachments: Sequence[bytes] = (),
        return_address: PostalAddress | None = None,
        unique_id: str | None = None,
    ) -> SentLetter:
        """Campaign → envelope → document (and attachments) → close both; the ids in the answer.
        On a failure after the campaign was made, it is cancelled and the failure raised."""
        return await self._drive(
            send_letter_steps(
                document,
                address=address,
                name=name,
                campaign_name=campaign_name,
                output_date=output_date,
                cost_center=cost_center,
                postage=postage,
                plex=plex,
                color=color,
                attachments=attachments,
                return_address=return_address,
                unique_id=unique_id,
            )
        )

    # -------------------------------------------------------------------------------- reachable

    async def reachable(
        self, kind: ReachableType | str, recipient: str, *, sender: str | None = None
    ) -> str | None:
        """The recipient echoed when reachable by ``kind`` (einbox, ebank, einvoice), else ``None``."""
        return await self._run(ops.reachable(kind, recipient, sender=sender))

    async def reachable_many(
        self, kind: ReachableType | str, recipients: Sequence[str], *, sender: str | None = None
    ) -> list[str]:
        return await self._run(ops.reachable_many(kind, recipients, sender=sender))

    async def mastercard_reachable(self, person: MastercardPerson) -> str | None:
        return await self._run(ops.mastercard_reachable(person))

    async def ebank_receivers(self, sender: str | None = None) -> list[str]:
        return await self._run(ops.ebank_receivers(sender))

    async def peppol_lookup(self, search: str) -> list[PeppolMatch]:
        return await self._run(ops.peppol_lookup(search))

    async def einvoice_ready(
        self,
        *,
        receiver_cin: str | None = None,
        sender_cin: str | None = None,
        receiver_gln: str | None = None,
        sender_gln: str | None = None,
    ) -> EinvoiceReadiness:
        return await self._run(
            ops.einvoice_ready(
                receiver_cin=receiver_cin,
                sender_cin=sender_cin,
                receiver_gln=receiver_gln,
                sender_gln=sender_gln,
            )
        )

    # -------------------------------------------------------------------------------- SMS, EDI

    async def send_sms(self, mailing: SmsMailing) -> SmsMailingStatus:
        return await self._run(ops.send_sms(mailing))

    async def sms_status(
        self, mailing_id: str, *, offset: int | None = None, limit: int | None = None
    ) -> SmsMailingStatus:
        return await self._run(ops.sms_status(mailing_id, offset=offset, limit=limit))

    async def edi_create_sender(self, sender: EdiSender) -> str | None:
        return await self._run(ops.edi_create_sender(sender))

    async def edi_invitations(self) -> list[EdiInvitation]:
        return await self._run(ops.edi_invitations())

    async def edi_update_invitations(self) -> list[EdiInvitation]:
        return await self._run(ops.edi_update_invitations())
