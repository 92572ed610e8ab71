"""Look-ups in the registry as directories: the Peppol participants (organisations that take
e-invoices), answered in the Peppol Directory's JSON, and the receivers of bank e-invoices (ebank).

Postbud's recipient registry plays both directories in the sandbox.
"""

from __future__ import annotations

import re
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost import render
from postbud.dialects.ekopost.context import Call
from postbud.dialects.ekopost.errors import EkopostError
from postbud.dialects.ekopost.wire_in import read_object, text
from postbud.domain.errors import NotFound, ValidationFailed
from postbud.domain.identifiers import InvalidIdentifier, PartyIdKind, parse_party_id
from postbud.domain.parties import Recipient
from postbud.domain.routing import takes_bank_invoices
from postbud.services.parties.recipients import get_recipient, list_recipients

PEPPOL_SCHEME: Final = "iso6523-actorid-upis"
_ICD: Final = {
    PartyIdKind.SE_ORGANISATION: "0007",
    PartyIdKind.NO_ORGANISATION: "0192",
    PartyIdKind.GLN: "0088",
}
_VAT_PREFIX: Final = {"SE": "se:", "NO": "no-org:"}
_VAT: Final = re.compile(r"^(?P<country>[A-Z]{2})(?P<number>\d{9,10})(?:01|MVA)?$")
_MAX_MATCHES: Final = 100
_PAGE: Final = 500
_MAX_RECEIVERS: Final = 10_000


async def _query(request: Request, *keys: str) -> str | None:
    body: dict[str, Any] = dict(request.query_params)
    if request.method == "POST":
        body.update(await read_object(request, 1 << 20))
    lowered = {k.lower(): v for k, v in body.items()}
    return next((text(lowered, k.lower(), max_length=200) for k in keys if lowered.get(k.lower())), None)


async def _by_identifier(call: Call, query: str) -> Recipient | None:
    compact = query.replace(" ", "").upper()
    vat = _VAT.match(compact)
    prefix = _VAT_PREFIX.get(vat["country"]) if vat else None
    candidates = [prefix + vat["number"]] if vat and prefix else []
    candidates += [query, "se:" + query]
    for candidate in candidates:
        try:
            party = parse_party_id(candidate)
            return await get_recipient(str(party), call.runtime)
        except (InvalidIdentifier, NotFound, ValidationFailed):
            continue
    return None


def _participant(recipient: Recipient) -> dict[str, Any] | None:
    icd = _ICD.get(recipient.party_id.kind)
    if icd is None:
        return None
    return {
        "participantID": {"scheme": PEPPOL_SCHEME, "value": f"{icd}:{recipient.party_id.value}"},
        "entities": [{"name": [{"name": recipient.name}], "countryCode": "SE" if icd == "0007" else "NO"}],
    }


async def peppol_lookup(call: Call, request: Request) -> Response:
    query = await _query(request, "Recipient", "recipient", "q")
    if query is None:
        raise EkopostError("114", "Recipient: the search string is required")
    found = await _by_identifier(call, query)
    candidates = (
        [found]
        if found is not None
        else (await list_recipients(call.runtime, search=query, limit=_MAX_MATCHES))[0]
    )
    matches = [m for r in candidates if r.capabilities.einvoice and (m := _participant(r)) is not None]
    return render.json_response(
        {
            "version": "1.0",
            "total-result-count": len(matches),
            "used-result-count": len(matches),
            "result-page-index": 0,
            "result-page-count": len(matches),
            "first-result-index": 0,
            "last-result-index": max(len(matches) - 1, 0),
            "query-terms": query,
            "creation-dt": render.when(call.runtime.wall_clock.now()),  # when this answer was made
            "matches": matches,
        }
    )


async def ebank_receivers(call: Call, request: Request) -> Response:
    """Every receiver of bank e-invoices; ``sender`` (the FUI to list for) is read and echoed."""
    await _query(request, "sender")
    receivers: list[str] = []
    offset = 0
    while len(receivers) < _MAX_RECEIVERS:
        page, _ = await list_recipients(call.runtime, offset=offset, limit=_PAGE)
        receivers += [r.party_id.value for r in page if takes_bank_invoices(r)]
        if len(page) < _PAGE:
            break
        offset += _PAGE
    if not receivers:
        raise EkopostError("125", "no receivers of bank e-invoices are registered", 404)
    return render.json_response({"recipient": receivers[:_MAX_RECEIVERS]})
