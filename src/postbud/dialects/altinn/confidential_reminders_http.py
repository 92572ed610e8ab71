"""H6 ``GET /confidential-reminders``: the organisation's confidential correspondences published at
least seven days ago and never read, as the text the Altinn inbox shows (nb, nn or en by
``languageCode``): a preamble, one numbered line per correspondence (sender, publish date, the
service it needs access to) oldest first, and a closing note. None: 404 1062. A person's token has
no organisation: 401 4006. The real service also asks Altinn Authorization about its own resource
``digdir-reminder-unopened-confidential-correspondences``; Postbud has no PDP, so the caller's own
organisation is enough."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from postbud.dialects.altinn.auth import Policy, authenticate
from postbud.dialects.altinn.context import AltinnDialect
from postbud.dialects.altinn.errors import error
from postbud.dialects.altinn.recipients import ORGANISATION_URN
from postbud.dialects.altinn.statuses import CorrespondenceStatus, status_history
from postbud.dialects.altinn.stored import CorrespondenceRecord, record_of
from postbud.domain.errors import NotFound
from postbud.domain.identifiers import PartyId, PartyIdKind
from postbud.services.letters.query import ShipmentFilter, events_of, list_shipments
from postbud.services.parties.resources import get_resource
from postbud.services.parties.senders import find_sender
from postbud.services.runtime import Runtime

MIN_AGE: Final = timedelta(days=7)
"""Unread this long after publication (the real service's production value; one minute in its tests)."""
_PAGE = 500

_PREAMBLE: Final = {
    "nb": "Under ligger en oversikt over hvilke meldinger som er uåpnet og viser til avsender, dato "
    "meldingen ble publisert og hvilken tjeneste som kreves. Hovedadministrator må delegere tilgang til "
    "denne tjenesten for at noen i din virksomhet skal kunne se meldingene. Se mer informasjon på våre "
    "hjelpesider: https://info.altinn.no/hjelp/ny-tilgangsstyring/taushetsbelagt-post/",
    "nn": "Under ligg ein oversikt over kva meldingar som er uopna og viser til avsendar, dato meldinga blei "
    "publisert og kva teneste som krevst. Hovudadministrator må delegere tilgang til denne tenesta for at "
    "nokon i verksemda di skal kunne sjå meldingane. Sjå meir informasjon på våre hjelpesider: "
    "https://info.altinn.no/nn/hjelp/ny-tilgangsstyring/taushetsbelagt-post/",
    "en": "Below is an overview of which correspondences are unopened and shows the sender, the date the "
    "correspondence was published and which service is required. The main administrator must delegate "
    "access to this service for someone in your organization to be able to see the messages. See more "
    "information on our support pages: https://info.altinn.no/en/help/ny-tilgangsstyring/taushetsbelagt-post/",
}
_LINE: Final = {
    "nb": "{n}. Melding fra avsender {sender} datert {date}, denne krever tilgang til tjenesten: {service}",
    "nn": "{n}. Melding frå avsendar {sender} datert {date}, denne krev tilgang til tenesta: {service}",
    "en": "{n}. Correspondence from sender {sender} dated {date}, this requires access to the service: "
    "{service}",
}
_ENDING: Final = {
    "nb": "NB! Dette varselet forsvinner når alle uleste taushetsbelagte meldinger er åpnet.",
    "nn": "NB! Dette varselet forsvinn når alle ulesne tausheitsbelagte meldingar er opna.",
    "en": "N.B. This notice will disappear when all unread confidential correspondences have been opened.",
}


@dataclass(frozen=True, slots=True)
class _Unread:
    record: CorrespondenceRecord
    published: datetime


async def _unread(runtime: Runtime, organisation: str, now: datetime) -> list[_Unread]:
    party = str(PartyId(PartyIdKind.NO_ORGANISATION, organisation))
    found: list[_Unread] = []
    cursor: str | None = None
    while True:
        page = await list_shipments(ShipmentFilter(recipient=party, cursor=cursor, limit=_PAGE), runtime)
        candidates = {
            s.id: r for s in page.shipments if (r := record_of(s)) is not None and r.is_confidential
        }
        histories = await events_of(list(candidates), runtime) if candidates else {}
        for shipment_id, record in candidates.items():
            history = status_history(histories.get(shipment_id, []))
            statuses = {e.status for e in history}
            published = next((e.at for e in history if e.status is CorrespondenceStatus.Published), None)
            gone = statuses & {CorrespondenceStatus.PurgedByRecipient, CorrespondenceStatus.PurgedByAltinn}
            if published is None or CorrespondenceStatus.Read in statuses or gone:
                continue
            if published <= now - MIN_AGE:
                found.append(_Unread(record, published))
        if page.next_cursor is None:
            return sorted(found, key=lambda u: u.published)
        cursor = page.next_cursor


async def _sender_name(runtime: Runtime, record: CorrespondenceRecord) -> str:
    organisation = record.sender_urn.removeprefix(ORGANISATION_URN)
    if record.message_sender:
        return record.message_sender
    try:
        return (await find_sender(organisation, runtime)).name
    except NotFound:
        return organisation


async def _service(runtime: Runtime, resource_id: str, language: str) -> str:
    try:
        return (await get_resource(runtime, resource_id)).title(language) or resource_id
    except NotFound:
        return resource_id


async def confidential_reminders(dialect: AltinnDialect, request: Request) -> Response:
    runtime = dialect.runtime
    caller = await authenticate(request, runtime, Policy.RECIPIENT)
    if caller.organisation_number is None or caller.person_id is not None:
        raise error(4006)
    language = request.query_params.get("languageCode", "nb")
    language = language if language in _PREAMBLE else "nb"
    unread = await _unread(runtime, caller.organisation_number, runtime.clock.now())
    if not unread:
        raise error(1062)
    lines = [
        _LINE[language].format(
            n=n,
            sender=await _sender_name(runtime, u.record),
            date=u.published.strftime("%d.%m.%Y"),
            service=await _service(runtime, u.record.resource_id, language),
        )
        for n, u in enumerate(unread, 1)
    ]
    text = "\n\n".join([_PREAMBLE[language], *lines, _ENDING[language]])
    return PlainTextResponse(text)
