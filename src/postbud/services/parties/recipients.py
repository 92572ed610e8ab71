"""Use cases: register or update recipients one at a time or from CSV, and list them.

Registering is an upsert keyed on the party identifier: adding someone again replaces what is
known about them, so scripts can re-run safely. A person's ``mailbox`` is a digital mailbox; an
organisation's is its business inbox. A person may also have a business inbox (Altinn delivers to
persons there) and a Kivra-style mailbox. Addresses without a country are in the deployment's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial

from postbud.domain.errors import FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.identifiers import (
    InvalidIdentifier,
    PartyId,
    PartyIdKind,
    e164_phone,
    email_address,
    parse_party_id,
)
from postbud.domain.parties import PERSON_KINDS, Capabilities, PostalAddress, Recipient
from postbud.domain.regional import NORWAY
from postbud.services.registration.outcome import release_waiting_letters
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey
from postbud.storage.unit_of_work import SqlUnitOfWork

CSV_COLUMNS = ("id", "name", "mailbox", "reserved", "email", "mobile", "address_line", "postal_code", "city")
"""The CSV import header. ``mailbox``/``reserved`` take true/false, yes/no, ja/nei, 1/0 or empty;
``address_line`` may hold several street lines separated by ``|``."""
_REQUIRED_COLUMNS = frozenset({"id", "name"})
_TRUE = frozenset({"1", "true", "yes", "y", "ja", "j", "x"})
_FALSE = frozenset({"", "0", "false", "no", "n", "nei"})
_POSTAL_CODES = {"NO": (re.compile(r"[0-9]{4}"), "a Norwegian postal code has 4 digits"),
                 "SE": (re.compile(r"[0-9]{3} ?[0-9]{2}"), "a Swedish postal code has 5 digits")}  # fmt: skip
_MAX_POSTAL_CODE = 12
_MAX_NAME = 200
_IMPORT_CHUNK = 500

Progress = Callable[[int], None]
"""Called with the number of rows just handled."""


@dataclass(frozen=True, slots=True)
class RecipientInput:
    id: str
    name: str
    mailbox: bool = False
    reserved: bool = False
    email: str | None = None
    mobile: str | None = None
    address: str | None = None
    """``line|zip|city`` or ``line1|line2|zip|city``."""
    mailbox_address: str | None = None
    """Kept, or generated from the name when ``mailbox`` is set and none is given."""
    business_inbox: bool = False
    """A business inbox for a person too (an organisation's ``mailbox`` is one already)."""
    kivra: bool = False
    """A person's Kivra-style mailbox."""
    ebank: bool = False
    """Takes bank e-invoices (Ekopost's ebank, Norwegian eFaktura): they reach the inbox, to be paid there."""
    country: str | None = None
    """The address's country (ISO 3166-1 alpha-2); None: the deployment's."""


@dataclass(frozen=True, slots=True)
class Registered:
    recipient: Recipient
    created: bool


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    errors: tuple[FieldError, ...]


@dataclass(slots=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    rejected: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated


def _slug(name: str) -> str:
    ascii_name = name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    return ".".join(re.findall(r"[a-z0-9]+", ascii_name))[:60] or "postkasse"


def mailbox_address_for(name: str, party_id: PartyId, *, length: int = 4) -> str:
    """A Digipost-style address (``ola.nordmann#1A2B``), stable for the same person."""
    code = hashlib.sha256(str(party_id).encode()).hexdigest()[:length].upper()
    return f"{_slug(name)}#{code}"


def parse_address(text: str, name: str, country: str = NORWAY.country) -> PostalAddress:
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 3 or not all(parts):
        raise ValidationFailed.of(
            "address",
            "write 'line|postal code|city' or 'line1|line2|postal code|city'",
            RuleCode.WRONG_FORMAT,
        )
    *lines, postal_code, city = parts
    pattern, rule = _POSTAL_CODES.get(country, (None, f"at most {_MAX_POSTAL_CODE} characters"))
    fits = pattern.fullmatch(postal_code) if pattern else len(postal_code) <= _MAX_POSTAL_CODE
    if not fits:
        raise ValidationFailed.of("address.postal_code", rule, RuleCode.WRONG_FORMAT)
    return PostalAddress(name=name, lines=tuple(lines), postal_code=postal_code, city=city, country=country)


def _party(raw: str, errors: list[FieldError]) -> PartyId | None:
    try:
        party = parse_party_id(raw, allow_synthetic=True)
    except InvalidIdentifier as exc:
        errors.append(FieldError("id", exc.rule, RuleCode.WRONG_FORMAT))
        return None
    if party.kind in {PartyIdKind.DIGIPOST_ADDRESS, PartyIdKind.EMAIL}:
        errors.append(
            FieldError("id", "must identify a person or organisation, not an address", RuleCode.INVALID)
        )
        return None
    return party


def _contact(
    value: str | None, name: str, check: Callable[[str], str], errors: list[FieldError]
) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return check(value)
    except InvalidIdentifier as exc:
        errors.append(FieldError(name, exc.rule, RuleCode.WRONG_FORMAT))
        return None


def build_recipient(
    data: RecipientInput, *, recipient_id: uuid.UUID | None = None, home_country: str = NORWAY.country
) -> Recipient:
    """Validate every field at once; ValidationFailed lists each field and the rule it broke.

    ``home_country`` is the deployment's (``Settings.country``): an address without one is there.
    """
    errors: list[FieldError] = []
    country = (data.country or home_country).strip().upper()
    if len(country) != 2 or not country.isalpha():
        errors.append(
            FieldError("country", "an ISO 3166-1 alpha-2 code such as NO or SE", RuleCode.WRONG_FORMAT)
        )
    name = data.name.strip()
    if not name:
        errors.append(FieldError("name", "must not be empty", RuleCode.EMPTY))
    elif len(name) > _MAX_NAME:
        errors.append(FieldError("name", f"at most {_MAX_NAME} characters", RuleCode.TOO_LONG))
    party = _party(data.id, errors)
    email = _contact(data.email, "email", email_address, errors)
    # A national number (no +, no 00) is read in the address's country, else the deployment's.
    mobile = _contact(data.mobile, "mobile", partial(e164_phone, default_region=country), errors)
    address: PostalAddress | None = None
    if data.address and data.address.strip():
        try:
            address = parse_address(data.address, name, country)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors or party is None:
        raise ValidationFailed(errors)
    person = party.kind in PERSON_KINDS
    if data.reserved and not person:
        raise ValidationFailed.of(
            "reserved", "only people can reserve against digital post", RuleCode.INVALID
        )
    if data.kivra and not person:
        raise ValidationFailed.of("kivra", "only people have a Kivra-style mailbox", RuleCode.INVALID)
    mailbox_address = None
    if data.mailbox and person:
        mailbox_address = data.mailbox_address or mailbox_address_for(name, party)
    capabilities = Capabilities(
        digital_mailbox=data.mailbox and person,
        mailbox_address=mailbox_address,
        reserved=data.reserved,
        business_inbox=(data.mailbox and not person) or data.business_inbox,
        email=email,
        mobile=mobile,
        postal_address=address,
        kivra=data.kivra,
        ebank=data.ebank,
    )
    return Recipient(recipient_id or uuid.uuid4(), party, name, capabilities)


async def with_free_mailbox_address(uow: SqlUnitOfWork, recipient: Recipient) -> Recipient:
    """Keep the generated address unique: a longer code if another recipient holds it."""
    address = recipient.capabilities.mailbox_address
    if address is None:
        return recipient
    holder = await uow.recipients.by_mailbox_address(address)
    if holder is None or holder.id == recipient.id:
        return recipient
    for length in (6, 8):
        candidate = mailbox_address_for(recipient.name, recipient.party_id, length=length)
        other = await uow.recipients.by_mailbox_address(candidate)
        if other is None or other.id == recipient.id:
            return replace(recipient, capabilities=replace(recipient.capabilities, mailbox_address=candidate))
    raise ValidationFailed.of("mailbox_address", "is already taken by another recipient", RuleCode.NOT_UNIQUE)


async def _store(uow: SqlUnitOfWork, data: RecipientInput, runtime: Runtime) -> Registered:
    home = runtime.settings.country
    candidate = build_recipient(data, home_country=home)
    existing = await uow.recipients.by_party_id(candidate.party_id)
    if existing is not None:
        old_address = existing.capabilities.mailbox_address
        keep = data.mailbox_address or (old_address if data.mailbox else None)
        candidate = build_recipient(
            replace(data, mailbox_address=keep), recipient_id=existing.id, home_country=home
        )
    recipient = await with_free_mailbox_address(uow, candidate)
    now = runtime.clock.now()
    if existing is None:
        await uow.recipients.add(recipient, now=now)
    else:
        await uow.recipients.update(recipient, now=now)
    if recipient.capabilities.digital_mailbox and not (existing and existing.capabilities.digital_mailbox):
        await release_waiting_letters(uow, recipient, now=now)  # letters that asked them to register
    return Registered(recipient, existing is None)


async def register_recipient(data: RecipientInput, runtime: Runtime) -> Registered:
    build_recipient(data, home_country=runtime.settings.country)  # fail before taking the write lock
    try:
        async with runtime.unit_of_work() as uow:
            return await _store(uow, data, runtime)
    except DuplicateKey:
        # Registered by another process at the same moment (PostgreSQL): once more, as an update.
        async with runtime.unit_of_work() as uow:
            return await _store(uow, data, runtime)


async def get_recipient(raw_id: str, runtime: Runtime) -> Recipient:
    errors: list[FieldError] = []
    party = _party(raw_id, errors)
    if party is None:
        raise ValidationFailed(errors)
    async with runtime.reader() as uow:
        recipient = await uow.recipients.by_party_id(party)
    if recipient is None:
        raise NotFound("recipient", raw_id)
    return recipient


async def list_recipients(
    runtime: Runtime, *, search: str | None = None, offset: int = 0, limit: int = 100
) -> tuple[list[Recipient], int]:
    """A page of recipients by name, and how many there are in all."""
    async with runtime.reader() as uow:
        total = await uow.recipients.count()
        if search:
            return await uow.recipients.search(search, limit=limit), total
        return await uow.recipients.list(offset=offset, limit=limit), total


# --- CSV import --------------------------------------------------------------------------


def _flag(value: str, column: str, errors: list[FieldError]) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text not in _FALSE:
        errors.append(FieldError(column, "write true or false", RuleCode.WRONG_FORMAT))
    return False


def _row_input(row: dict[str, str]) -> RecipientInput:
    errors: list[FieldError] = []
    mailbox = _flag(row.get("mailbox", ""), "mailbox", errors)
    reserved = _flag(row.get("reserved", ""), "reserved", errors)
    parts = [
        row.get("address_line", "").strip(),
        row.get("postal_code", "").strip(),
        row.get("city", "").strip(),
    ]
    address = "|".join(parts) if any(parts) else None
    data = RecipientInput(
        id=row.get("id", ""),
        name=row.get("name", ""),
        mailbox=mailbox,
        reserved=reserved,
        email=row.get("email") or None,
        mobile=row.get("mobile") or None,
        address=address,
    )
    try:
        build_recipient(data)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return data


@dataclass(frozen=True, slots=True)
class ParsedCsv:
    rows: list[tuple[int, RecipientInput]]
    rejected: list[RowError]


def parse_csv(text: str) -> ParsedCsv:
    """Read and validate every row; rows are numbered by their line in the file (header is 1)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {(h or "").strip().lower() for h in reader.fieldnames or ()}
    missing = sorted(_REQUIRED_COLUMNS - header)
    unknown = sorted(header - set(CSV_COLUMNS))
    if missing or unknown:
        rule = (
            f"missing columns: {', '.join(missing)}" if missing else f"unknown columns: {', '.join(unknown)}"
        )
        code = RuleCode.REQUIRED if missing else RuleCode.INVALID
        raise ValidationFailed.of("header", f"{rule} (expected {','.join(CSV_COLUMNS)})", code)
    rows: list[tuple[int, RecipientInput]] = []
    rejected: list[RowError] = []
    first_line: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        row = {(k or "").strip().lower(): (v or "") for k, v in raw.items() if k is not None}
        try:
            data = _row_input(row)
        except ValidationFailed as exc:
            rejected.append(RowError(line, tuple(exc.errors)))
            continue
        key = str(parse_party_id(data.id, allow_synthetic=True))
        if key in first_line:
            repeated = FieldError("id", f"repeats line {first_line[key]}", RuleCode.NOT_UNIQUE)
            rejected.append(RowError(line, (repeated,)))
            continue
        first_line[key] = line
        rows.append((line, data))
    return ParsedCsv(rows, rejected)


async def import_csv(
    text: str, runtime: Runtime, *, skip_invalid: bool = False, on_progress: Progress | None = None
) -> ImportResult:
    return await import_rows(parse_csv(text), runtime, skip_invalid=skip_invalid, on_progress=on_progress)


async def import_rows(
    parsed: ParsedCsv,
    runtime: Runtime,
    *,
    skip_invalid: bool = False,
    on_progress: Progress | None = None,
) -> ImportResult:
    """Upsert every row. With an invalid row nothing is imported, unless ``skip_invalid``."""
    result = ImportResult(rejected=list(parsed.rejected))
    if parsed.rejected and not skip_invalid:
        return result
    for chunk in _chunks(parsed.rows, _IMPORT_CHUNK):
        async with runtime.unit_of_work() as uow:
            for line, data in chunk:
                try:
                    registered = await _store(uow, data, runtime)
                except ValidationFailed as exc:
                    result.rejected.append(RowError(line, tuple(exc.errors)))
                    continue
                if registered.created:
                    result.created += 1
                else:
                    result.updated += 1
        if on_progress is not None:
            on_progress(len(chunk))
    return result


def _chunks(rows: list[tuple[int, RecipientInput]], size: int) -> Iterable[list[tuple[int, RecipientInput]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
