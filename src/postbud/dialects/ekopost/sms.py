"""SMS mailings: ``POST sms`` (one text to up to 100,000 phone numbers) and its status poll
``GET sms/{id}``.

The wire is read here (``mime``, base64 ``data``, ``FromName``, ``recipients``; keys in any case,
with or without underscores) and handed to the core as a command; the core's field errors come
back as the seed's codes 128–134. The seed names the poll but not its route or fields: the route
and the answer (snake_case, as the rest of Ekopost) are Postbud's, documented in
docs/dialects/ekopost.md.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost.context import DIALECT, Call
from postbud.dialects.ekopost.errors import EkopostError, invalid
from postbud.dialects.ekopost.render import json_response, when
from postbud.dialects.ekopost.wire_in import read_object
from postbud.domain.errors import NotFound, RuleCode, ValidationFailed
from postbud.domain.sms_mailings import FIELD_RECIPIENTS, FIELD_SENDER_NAME, FIELD_TEXT, RecipientStatus
from postbud.services.mailings.sms import MailingReport, SendSmsMailing, mailing_report, send_sms_mailing

REGION: Final = "SE"
"""Ekopost is Swedish: a number without a country code is a Swedish one."""
BODY_LIMIT: Final = 8 * 1024 * 1024
"""100,000 numbers of up to 20 characters in JSON, and the text."""
PAGE: Final = 1000
_WIRE_FIELD: Final = {FIELD_TEXT: "data", FIELD_SENDER_NAME: "FromName", FIELD_RECIPIENTS: "recipients"}


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
        return base64.b64decode("".join(data.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise EkopostError("130", "data: is not UTF-8 text encoded as base64") from None


def _recipients(body: Mapping[str, Any]) -> list[object]:
    raw = _field(body, "recipients", "to")
    if isinstance(raw, str):
        raw = [raw]
    if raw is None or raw == []:
        raise EkopostError("132", "recipients: the SMS has no recipients")
    if not isinstance(raw, list):
        raise EkopostError("131", "recipients: must be an array of phone numbers")
    return raw


def _code(error: ValidationFailed) -> str:
    first = error.first
    if first.field.startswith(FIELD_RECIPIENTS + "["):
        return "131"
    if first.field == FIELD_RECIPIENTS:
        return "134" if first.code is RuleCode.TOO_MANY else "132"
    if first.field == FIELD_SENDER_NAME and first.code is RuleCode.REQUIRED:
        return "133"
    if first.field == FIELD_TEXT and first.code is RuleCode.EMPTY:
        return "129"
    return "127"


def _wire_message(error: ValidationFailed) -> str:
    first = error.first
    name, bracket, rest = first.field.partition("[")
    return f"{_WIRE_FIELD.get(name, name)}{bracket}{rest}: {first.rule}"


_STATES: Final = {
    RecipientStatus.QUEUED: "queued",
    RecipientStatus.SENT: "sent",
    RecipientStatus.FAILED: "failed",
}


def _mailing(report: MailingReport, start: int) -> dict[str, Any]:
    mailing, counts = report.mailing, report.counts
    recipients = []
    for r in report.recipients:
        item: dict[str, Any] = {
            "recipient": r.phone,
            "state": _STATES[r.status],
            "state_changed_at": when(r.status_at),
        }
        if r.status is RecipientStatus.FAILED:
            item["failed_reason"] = str(r.detail.get("reason") or "failed")
        recipients.append(item)
    following = start + len(recipients)
    return {
        "id": str(mailing.id),
        "from_name": mailing.sender_name,
        "state": mailing.status.value,
        "state_changed_at": when(mailing.status_changed_at),
        "created_at": when(mailing.created_at),
        "recipient_count": mailing.recipient_count,
        "queued_count": counts[RecipientStatus.QUEUED],
        "sent_count": counts[RecipientStatus.SENT],
        "failed_count": counts[RecipientStatus.FAILED],
        "offset": start,
        "next_offset": following if following < mailing.recipient_count else None,
        "recipients": recipients,
    }


async def send(call: Call, request: Request) -> Response:
    body = await read_object(request, BODY_LIMIT)
    text = _text(body)
    numbers = _recipients(body)
    from_name = _field(body, "from_name", "fromname", "from")
    if from_name is not None and not isinstance(from_name, str):
        raise invalid("FromName", "must be a string")
    command = SendSmsMailing(call.sender.id, DIALECT, from_name, text, numbers, REGION)
    try:
        mailing = await send_sms_mailing(command, call.runtime)
    except ValidationFailed as exc:
        raise EkopostError(_code(exc), _wire_message(exc)) from None
    report = await mailing_report(call.sender.id, mailing.id, call.runtime, limit=PAGE)
    return json_response(_mailing(report, 0))


def _number(request: Request, name: str, default: int, *, highest: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7 or int(raw) > highest:
        raise invalid(name, f"must be a whole number from 0 to {highest}")
    return int(raw)


async def poll(call: Call, request: Request) -> Response:
    """``GET sms/{id}[?offset=&limit=]``: the mailing's state, counts and up to 1,000 recipients."""
    raw_id = request.path_params["sms_id"]
    start = _number(request, "offset", 0, highest=1_000_000)
    limit = _number(request, "limit", PAGE, highest=PAGE)
    try:
        mailing_id = uuid.UUID(raw_id)
        report = await mailing_report(call.sender.id, mailing_id, call.runtime, start=start, limit=limit)
    except (ValueError, NotFound):
        raise EkopostError("127", f"sms {raw_id} was not found", 404) from None
    return json_response(_mailing(report, start))
