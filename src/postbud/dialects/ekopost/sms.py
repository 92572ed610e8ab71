"""SMS mailings: the request is read and checked by the seed's rules (128–134), then answered 501.

The core's SMS channel sends to the mobile number of a registered recipient only; an Ekopost SMS
mailing goes to up to 100,000 raw phone numbers, which needs a core use case of its own (asked for
in /tmp/work/requests-core.md). Until then a valid mailing answers 501 in Ekopost's error format, so
a client learns at once that nothing was sent.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost.context import Call
from postbud.dialects.ekopost.errors import EkopostError, not_implemented
from postbud.dialects.ekopost.wire_in import read_object
from postbud.domain.identifiers import InvalidIdentifier
from postbud.domain.identifiers.contact import e164_phone

MAX_RECIPIENTS: Final = 100_000
MAX_TEXT: Final = 1600


def _field(body: Mapping[str, Any], *names: str) -> Any:
    """The value of the first of ``names`` present, compared without case or underscores."""
    wanted = {n.replace("_", "").lower() for n in names}
    return next((v for k, v in body.items() if k.replace("_", "").lower() in wanted), None)


def _text(body: Mapping[str, Any]) -> str:
    mime = _field(body, "mime")
    if not isinstance(mime, str) or mime.strip().lower().split(";")[0] != "text/plain":
        raise EkopostError("128", f"mime: {mime!r}; an SMS must be text/plain")
    data = _field(body, "data")
    if data is None or data == "":
        raise EkopostError("129", "data: the base64 encoded text is missing or empty")
    if not isinstance(data, str):
        raise EkopostError("130", "data: must be the text encoded as base64")
    try:
        decoded = base64.b64decode("".join(data.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise EkopostError("130", "data: is not UTF-8 text encoded as base64") from None
    if not decoded.strip():
        raise EkopostError("129", "data: decodes to no text")
    if len(decoded) > MAX_TEXT:
        raise EkopostError("127", f"data: an SMS text has at most {MAX_TEXT} characters")
    return decoded


def _recipients(body: Mapping[str, Any]) -> list[str]:
    raw = _field(body, "recipients", "to")
    if isinstance(raw, str):
        raw = [raw]
    if not raw:
        raise EkopostError("132", "recipients: the SMS has no recipients")
    if not isinstance(raw, list):
        raise EkopostError("131", "recipients: must be an array of phone numbers")
    if len(raw) > MAX_RECIPIENTS:
        raise EkopostError("134", f"recipients: {len(raw)}; at most {MAX_RECIPIENTS}")
    numbers: list[str] = []
    for index, number in enumerate(raw):
        try:
            numbers.append(e164_phone(str(number), default_region="SE"))
        except InvalidIdentifier as exc:
            raise EkopostError("131", f"recipients[{index}]: {exc.rule}") from None
    return numbers


async def send(call: Call, request: Request) -> Response:
    body = await read_object(request, call.body_limit)
    _text(body)
    _recipients(body)
    from_name = _field(body, "from_name", "fromname", "from")
    if not isinstance(from_name, str) or not from_name.strip():
        raise EkopostError("133", 'FromName: the SMS needs a sender name ("FromName")')
    raise not_implemented("sending an SMS mailing (its request is valid)")
