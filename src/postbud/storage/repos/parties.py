"""Senders, their API keys, and recipients with their channel capabilities."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from postbud.domain.identifiers import PartyId, parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient, Sender
from postbud.domain.recipient_keys import RecipientKey
from postbud.domain.sender_credentials import CredentialKind
from postbud.storage import schema


def address_to_json(address: PostalAddress | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {
        "name": address.name,
        "lines": list(address.lines),
        "postal_code": address.postal_code,
        "city": address.city,
        "country": address.country,
    }


def address_from_json(data: dict[str, Any] | None) -> PostalAddress | None:
    if not data:
        return None
    return PostalAddress(
        name=data["name"],
        lines=tuple(data.get("lines", ())),
        postal_code=data["postal_code"],
        city=data["city"],
        country=data.get("country", ""),
    )


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# A sender with the credentials the domain's Sender names: its live Digipost certificate (numeric id
# and certificate) and its live Altinn organisation (scopes). Each dialect, kind and identifier has at
# most one live credential, and a sender's Digipost certificate and Altinn organisation are replaced,
# never added to (services/parties/credentials.py), so each join finds at most one row.
_DIGIPOST = schema.sender_credentials.alias("digipost_credential")
_ALTINN = schema.sender_credentials.alias("altinn_credential")
_SENDERS = select(
    schema.senders,
    _DIGIPOST.c.identifier.label("digipost_identifier"),
    _DIGIPOST.c.data.label("digipost_data"),
    _ALTINN.c.data.label("altinn_data"),
).select_from(
    schema.senders.outerjoin(
        _DIGIPOST,
        and_(
            _DIGIPOST.c.sender_id == schema.senders.c.id,
            _DIGIPOST.c.dialect == "digipost",
            _DIGIPOST.c.kind == CredentialKind.CERTIFICATE.value,
            _DIGIPOST.c.revoked_at.is_(None),
        ),
    ).outerjoin(
        _ALTINN,
        and_(
            _ALTINN.c.sender_id == schema.senders.c.id,
            _ALTINN.c.dialect == "altinn",
            _ALTINN.c.kind == CredentialKind.ORGANISATION.value,
            _ALTINN.c.revoked_at.is_(None),
        ),
    )
)


def _sender(row: Mapping[Any, Any]) -> Sender:
    digipost_id = row["digipost_identifier"]
    return Sender(
        id=row["id"],
        name=row["name"],
        organisation_number=row["organisation_number"],
        digipost_id=int(digipost_id) if digipost_id is not None else None,
        certificate_pem=(row["digipost_data"] or {}).get("certificate_pem"),
        altinn_scopes=tuple((row["altinn_data"] or {}).get("scopes", ())),
        may_print=row["may_print"],
        may_direct_print=row["may_direct_print"],
        time_zone=row["time_zone"],
        country=row["country"],
        may_protected_print=row["may_protected_print"],
    )


# Shared with storage/hot_reads_ekopost.py, which finds a request's sender by a prepared statement.
SENDERS, sender_from_row = _SENDERS, _sender

# Shared with storage/hot_reads.py, which runs them as prepared statements on the send path.
RECIPIENT_BY_PARTY_ID = select(schema.recipients).where(schema.recipients.c.party_id == bindparam("party_id"))
RECIPIENT_BY_MAILBOX_ADDRESS = select(schema.recipients).where(
    func.lower(schema.recipients.c.mailbox_address) == bindparam("address")  # the address lower-cased
)


def recipient_from_row(row: Mapping[Any, Any]) -> Recipient:
    return Recipient(
        id=row["id"],
        party_id=parse_party_id(row["party_id"], allow_synthetic=True),
        name=row["name"],
        capabilities=Capabilities(
            digital_mailbox=row["digital_mailbox"],
            mailbox_address=row["mailbox_address"],
            reserved=row["reserved"],
            business_inbox=row["business_inbox"],
            email=row["email"],
            mobile=row["mobile"],
            postal_address=address_from_json(row["postal_address"]),
            einvoice=row["einvoice"],
            ebank=row["ebank"],
            kivra=row["kivra"],
        ),
    )


def _credential_rows(sender: Sender, now: datetime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    common = {"sender_id": sender.id, "secret_hash": None, "created_at": now, "revoked_at": None}
    if sender.digipost_id is not None:
        rows.append(
            {"id": uuid.uuid4(), "dialect": "digipost", "kind": CredentialKind.CERTIFICATE.value,
             "identifier": str(sender.digipost_id), "data": {"certificate_pem": sender.certificate_pem},
             **common}
        )  # fmt: skip
    if sender.altinn_scopes:
        rows.append(
            {"id": uuid.uuid4(), "dialect": "altinn", "kind": CredentialKind.ORGANISATION.value,
             "identifier": sender.organisation_number, "data": {"scopes": list(sender.altinn_scopes)},
             **common}
        )  # fmt: skip
    return rows


class SenderRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, sender: Sender, *, now: datetime) -> None:
        """A new sender: its row and, when it names them, its Digipost certificate and its Altinn
        organisation as live credentials (where they are read from). Later changes to them go
        through services/parties/credentials.py, not ``update``."""
        await self._conn.execute(
            schema.senders.insert().values(
                id=sender.id,
                name=sender.name,
                organisation_number=sender.organisation_number,
                may_print=sender.may_print,
                may_direct_print=sender.may_direct_print,
                time_zone=sender.time_zone,
                country=sender.country,
                may_protected_print=sender.may_protected_print,
                created_at=now,
            )
        )
        if credentials := _credential_rows(sender, now):
            await self._conn.execute(schema.sender_credentials.insert(), credentials)

    async def update(self, sender: Sender) -> None:
        """The sender's own settings; not its credentials (services/parties/credentials.py)."""
        await self._conn.execute(
            update(schema.senders)
            .where(schema.senders.c.id == sender.id)
            .values(
                name=sender.name,
                may_print=sender.may_print,
                may_direct_print=sender.may_direct_print,
                time_zone=sender.time_zone,
                country=sender.country,
                may_protected_print=sender.may_protected_print,
            )
        )

    async def get(self, sender_id: uuid.UUID) -> Sender | None:
        row = (await self._conn.execute(_SENDERS.where(schema.senders.c.id == sender_id))).mappings().first()
        return _sender(row) if row else None

    async def by_digipost_id(self, digipost_id: int) -> Sender | None:
        """The sender whose live Digipost credential has this numeric id."""
        query = _SENDERS.where(_DIGIPOST.c.identifier == str(digipost_id))
        row = (await self._conn.execute(query)).mappings().first()
        return _sender(row) if row else None

    async def by_organisation_number(self, orgnr: str) -> Sender | None:
        query = _SENDERS.where(schema.senders.c.organisation_number == orgnr)
        row = (await self._conn.execute(query)).mappings().first()
        return _sender(row) if row else None

    async def by_api_key(self, key: str) -> Sender | None:
        keys = schema.api_keys
        query = _SENDERS.join(keys, keys.c.sender_id == schema.senders.c.id).where(
            keys.c.key_hash == hash_api_key(key), keys.c.revoked_at.is_(None)
        )
        row = (await self._conn.execute(query)).mappings().first()
        return _sender(row) if row else None

    async def add_api_key(self, sender_id: uuid.UUID, key: str, label: str, *, now: datetime) -> None:
        await self._conn.execute(
            schema.api_keys.insert().values(
                id=uuid.uuid4(), sender_id=sender_id, key_hash=hash_api_key(key), label=label, created_at=now
            )
        )

    async def list(self) -> list[Sender]:
        rows = (await self._conn.execute(_SENDERS.order_by(schema.senders.c.name))).mappings()
        return [_sender(r) for r in rows]


class RecipientRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    @staticmethod
    def _values(recipient: Recipient) -> dict[str, Any]:
        caps = recipient.capabilities
        return {
            "party_id": str(recipient.party_id),
            "kind": recipient.kind.value,
            "name": recipient.name,
            "digital_mailbox": caps.digital_mailbox,
            "mailbox_address": caps.mailbox_address,
            "reserved": caps.reserved,
            "business_inbox": caps.business_inbox,
            "email": caps.email,
            "mobile": caps.mobile,
            "postal_address": address_to_json(caps.postal_address),
            "einvoice": caps.einvoice,
            "ebank": caps.ebank,
            "kivra": caps.kivra,
        }

    async def add(self, recipient: Recipient, *, now: datetime) -> None:
        await self._conn.execute(
            schema.recipients.insert().values(
                id=recipient.id, created_at=now, updated_at=now, **self._values(recipient)
            )
        )

    async def add_many(self, recipients: list[Recipient], *, now: datetime) -> None:
        if recipients:
            rows = [{"id": r.id, "created_at": now, "updated_at": now, **self._values(r)} for r in recipients]
            await self._conn.execute(schema.recipients.insert(), rows)

    async def update(self, recipient: Recipient, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.recipients)
            .where(schema.recipients.c.id == recipient.id)
            .values(updated_at=now, **self._values(recipient))
        )

    async def get(self, recipient_id: uuid.UUID) -> Recipient | None:
        query = select(schema.recipients).where(schema.recipients.c.id == recipient_id)
        row = (await self._conn.execute(query)).mappings().first()
        return recipient_from_row(row) if row else None

    async def by_party_id(self, party_id: PartyId) -> Recipient | None:
        row = (
            (await self._conn.execute(RECIPIENT_BY_PARTY_ID, {"party_id": str(party_id)})).mappings().first()
        )
        return recipient_from_row(row) if row else None

    async def by_mailbox_address(self, address: str) -> Recipient | None:
        query, params = RECIPIENT_BY_MAILBOX_ADDRESS, {"address": address.lower()}
        row = (await self._conn.execute(query, params)).mappings().first()
        return recipient_from_row(row) if row else None

    async def search(self, text: str, *, limit: int = 10) -> list[Recipient]:
        pattern = f"%{text.lower()}%"
        r = schema.recipients.c
        query = (
            select(schema.recipients)
            .where((func.lower(r.name).like(pattern)) | (func.lower(r.mailbox_address).like(pattern)))
            .order_by(r.name)
            .limit(limit)
        )
        return [recipient_from_row(row) for row in (await self._conn.execute(query)).mappings()]

    async def by_name_and_postal_code(
        self, name: str, postal_code: str, *, limit: int = 10
    ) -> list[Recipient]:
        """Recipients whose name (or the name on their postal address) is ``name``, ignoring case,
        and whose postal address has ``postal_code``."""
        r = schema.recipients.c
        query = (
            select(schema.recipients)
            .where(
                or_(_same_text(r.name, name), _same_text(r.postal_address["name"].as_string(), name)),
                r.postal_address["postal_code"].as_string() == postal_code,
            )
            .order_by(r.name)
            .limit(limit)
        )
        return [recipient_from_row(row) for row in (await self._conn.execute(query)).mappings()]

    async def search_mailboxes(self, terms: Sequence[str], *, limit: int = 10) -> list[Recipient]:
        """Recipients with a published mailbox (an address, not reserved) matching every term in
        their name, mailbox address, postal code or city (case-insensitive substrings)."""
        r = schema.recipients.c
        fields = (
            r.name,
            r.mailbox_address,
            r.postal_address["postal_code"].as_string(),
            r.postal_address["city"].as_string(),
        )
        matches = [or_(*(_contains_text(field, term) for field in fields)) for term in terms]
        query = (
            select(schema.recipients)
            .where(r.digital_mailbox.is_(True), r.reserved.is_(False), r.mailbox_address.is_not(None))
            .where(and_(*matches))
            .order_by(r.name, r.mailbox_address)
            .limit(limit)
        )
        return [recipient_from_row(row) for row in (await self._conn.execute(query)).mappings()]

    async def key(self, recipient_id: uuid.UUID) -> RecipientKey | None:
        keys = schema.recipient_keys
        row = (
            (await self._conn.execute(select(keys).where(keys.c.recipient_id == recipient_id)))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return RecipientKey(
            recipient_id=row["recipient_id"],
            key_id=row["key_id"],
            public_key_pem=row["public_key_pem"],
            private_key_pem=row["private_key_pem"],
            created_at=row["created_at"],
        )

    async def add_key(self, key: RecipientKey) -> None:
        """Raises IntegrityError if the recipient already has a key."""
        await self._conn.execute(
            schema.recipient_keys.insert().values(
                recipient_id=key.recipient_id,
                key_id=key.key_id,
                public_key_pem=key.public_key_pem,
                private_key_pem=key.private_key_pem,
                created_at=key.created_at,
            )
        )

    async def list(self, *, offset: int = 0, limit: int = 100) -> list[Recipient]:
        query = select(schema.recipients).order_by(schema.recipients.c.name).offset(offset).limit(limit)
        return [recipient_from_row(row) for row in (await self._conn.execute(query)).mappings()]

    async def count(self) -> int:
        return int(
            (await self._conn.execute(select(func.count()).select_from(schema.recipients))).scalar_one()
        )


def _spellings(text: str) -> set[str]:
    # SQLite's lower() folds only ASCII, so Æ/Ø/Å would not match æ/ø/å; the usual spellings of a
    # word are compared as well.
    return {text, text.lower(), text.upper(), text.title(), text.capitalize()}


def _same_text(column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    return or_(column.in_(_spellings(text)), func.lower(column) == text.lower())


def _contains_text(column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    return or_(
        *(column.contains(spelling, autoescape=True) for spelling in _spellings(text)),
        func.lower(column).contains(text.lower(), autoescape=True),
    )


def with_capabilities(recipient: Recipient, **changes: Any) -> Recipient:
    return replace(recipient, capabilities=replace(recipient.capabilities, **changes))
