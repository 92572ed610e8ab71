"""Forwarding (§5.6): C11 ``POST …/{id}/forward`` sends a read correspondence on by e-mail (the
core's forwarding: one e-mail by the e-mail channel, captured in the sandbox) and answers the
forwarding's id; H4 ``GET …/{id}/forward/check`` tells the inbox whether it may offer it. The checks
in the real service's order: the address (3011, then 3027), ``allowForwarding`` (1063), the text
(1066, 1067), read first (1065), once per address (1064)."""

from __future__ import annotations

import re
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from postbud.dialects.altinn.access import load_letter
from postbud.dialects.altinn.auth import AltinnAuthError, Policy, authenticate, verify_bearer
from postbud.dialects.altinn.context import AltinnDialect
from postbud.dialects.altinn.errors import Invalid, ValidationProblem, error
from postbud.dialects.altinn.http_in import json_body, path_guid
from postbud.dialects.altinn.stored import record_of
from postbud.dialects.altinn.text_rules import is_plain_text
from postbud.dialects.altinn.wire import Reader
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.letter_actions import AsRecipient
from postbud.services.letters.query import get_shipment
from postbud.services.recipient_actions.forward import forward_letter

CHECK_SCOPE: Final = "altinn:correspondence.forward.check"
MAX_ADDRESS: Final = 1000
MAX_TEXT: Final = 200
_LETTERS: Final = "a-zA-Z0-9æøåÆØÅ"
_ATOM: Final = f"[{_LETTERS}!#$%&'*+\\-=?^_`{{|}}~]+"
_LABEL: Final = f"[{_LETTERS}](?:[{_LETTERS}\\-]{{0,61}}[{_LETTERS}])?"
# The address rule the real service applies: a quoted or dot-atom local part; a host of one to nine
# labels and a 2–14 letter top-level domain, or an IPv4 address.
EMAIL: Final = re.compile(
    f'^(?:"[^"]+"|{_ATOM}(?:\\.{_ATOM})*)@'
    f"(?:(?:{_LABEL}\\.){{1,9}}[a-zA-Z]{{2,14}}|\\d{{1,3}}\\.\\d{{1,3}}\\.\\d{{1,3}}\\.\\d{{1,3}})$"
)


def _request(body: dict[str, object]) -> tuple[str | None, str | None]:
    invalid: list[Invalid] = []
    reader = Reader(body, "", invalid)
    if "forwardto" not in reader.members:
        invalid.append(Invalid("ForwardTo", "The ForwardTo field is required."))
    to = reader.string("forwardTo")
    text = reader.string("forwardingText")
    if invalid:
        raise ValidationProblem(invalid)
    return to, text


async def forward(dialect: AltinnDialect, request: Request) -> Response:
    caller = await authenticate(request, dialect.runtime, Policy.RECIPIENT)
    letter = await load_letter(dialect.runtime, caller, path_guid(request, "correspondenceId"))
    if not isinstance(letter.role, AsRecipient):
        raise error(4001)
    to, text = _request(await json_body(request))
    if to is None or not EMAIL.match(to):
        raise error(3011)
    if len(to) > MAX_ADDRESS:
        raise error(3027)
    if not letter.record.allow_forwarding:
        raise error(1063)
    if text is not None:
        if len(text) > MAX_TEXT:
            raise error(1066)
        if not is_plain_text(text):
            raise error(1067)
    try:
        forwarding_id = await forward_letter(dialect.runtime, letter.role, letter.shipment.id, to, text)
    except Conflict as exc:
        numbers = {ConflictCode.NOT_YET: 1065, ConflictCode.ALREADY_DONE: 1064}
        raise error(numbers.get(exc.code, 1001)) from None
    return JSONResponse(str(forwarding_id))


async def forward_check(dialect: AltinnDialect, request: Request) -> Response:
    """H4: any caller with the check scope; only whether the correspondence allows forwarding."""
    verified = await verify_bearer(request, dialect.runtime)
    if CHECK_SCOPE not in str(verified.claims.get("scope", "")).split():
        raise AltinnAuthError(
            403,
            f"The token's scope does not satisfy the CheckAllowForwardingPolicy: it needs '{CHECK_SCOPE}'",
        )
    try:
        found = await get_shipment(path_guid(request, "correspondenceId"), dialect.runtime)
    except NotFound:
        raise error(1001) from None
    record = record_of(found.shipment)
    if record is None:
        raise error(1001)
    return JSONResponse({"allowForwarding": record.allow_forwarding})
