"""v7's invoice document (``xsi:type="invoice"`` with kid, amount, account, due-date) in core terms.

v8 dropped the extension for the ``invoice`` datatype; a v7 invoice becomes that same datatype
(kid → kid, amount → sum, account → creditor-account, due-date → due-date), so the inbox shows
an invoice card and the recipient can pay it. A subject starting with ``[INKASSO] `` marks a
debt-collection notice in v7 (Digipost's API reference); it becomes the ``inkasso`` datatype.

The XSD has checked the shapes; here the KID and account check digits are checked, and the amount
must be positive. ``due-date`` is a calendar date: it is kept as midnight in Norway. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from postbud.dialects.digipost.errors import DigipostError, datatype_invalid
from postbud.dialects.digipost.schema import namespace
from postbud.domain.datatypes import DataTypeInvalid, Inkasso, Invoice, datatype_from_dict, datatype_to_dict
from postbud.domain.identifiers import InvalidIdentifier, kid, norwegian_account
from postbud.services.letters.send_letter import DocumentInput

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
INKASSO_MARK = "[INKASSO] "
DUE_ZONE = ZoneInfo("Europe/Oslo")
# xs:date may carry a time zone (2017-01-01Z, 2017-01-01+01:00); the day is what counts.
_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$")


def is_invoice(el: etree._Element) -> bool:
    """Whether the document element is typed ``invoice`` of the v7 namespace."""
    value = el.get(XSI_TYPE)
    if value is None:
        return False
    prefix, _, local = value.strip().rpartition(":")
    return local == "invoice" and el.nsmap.get(prefix or None) == namespace(7)


def with_v7_invoice(document: DocumentInput, el: etree._Element, path: str) -> DocumentInput:
    """``document`` with its invoice datatype when ``el`` is a v7 invoice; otherwise unchanged."""
    if not is_invoice(el):
        return document
    ns = namespace(7)

    def text(name: str) -> str | None:
        found = el.findtext(f"{{{ns}}}{name}")
        return found.strip() if found is not None else None

    reference = _checked(kid, text("kid"), f"{path}/kid")
    account = _checked(norwegian_account, text("account"), f"{path}/account")
    amount = Decimal(text("amount") or "0")
    if amount <= 0:
        raise DigipostError("INVALID_MONETARY_AMOUNT", f"{path}/amount: must be more than 0, got {amount}")
    due = datetime.combine(_day(text("due-date") or "", f"{path}/due-date"), time(), DUE_ZONE)
    fields: dict[str, Any] = {"due_date": due, "sum": amount, "kid": reference}
    if (document.title or "").startswith(INKASSO_MARK):
        kind, fields["account"] = Inkasso.kind, account
    else:
        kind, fields["creditor_account"] = Invoice.kind, account
    try:
        datatype = datatype_to_dict(datatype_from_dict(kind, fields))
    except DataTypeInvalid as exc:
        raise datatype_invalid(path, exc) from exc
    return replace(document, datatype=datatype)


def _checked(check: Callable[[str], str], value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return check(value)
    except InvalidIdentifier as exc:
        raise DigipostError("VALIDATION_FAILED", f"{field}: {exc.rule}") from exc


def _day(value: str, field: str) -> date:
    match = _DAY.match(value)
    try:
        if match is None:
            raise ValueError(value)
        return date.fromisoformat(match[1])
    except ValueError:
        raise DigipostError("VALIDATION_FAILED", f"{field}: {value!r} is not a calendar date") from None
