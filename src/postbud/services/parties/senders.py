"""Use cases: register a sender (with its certificate or a freshly minted key), issue API keys, list.

An API key is shown once, when issued; only its hash is stored.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, replace

from postbud.crypto.keys import generate_test_key_and_certificate
from postbud.domain.errors import Conflict, ConflictCode, FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.identifiers import InvalidIdentifier, organisasjonsnummer, swedish_orgnr
from postbud.domain.parties import Sender
from postbud.services.parties.credentials import validate_certificate
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey
from postbud.storage.unit_of_work import SqlUnitOfWork

API_KEY_PREFIX = "pb_live_"
FIRST_DIGIPOST_ID = 100001
"""Automatically assigned broker ids start here; the sandbox sender has 100000."""
_MAX_NAME = 200
_INSERT_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class RegisterSender:
    name: str
    organisation_number: str
    digipost_id: int | None = None
    certificate_pem: str | None = None
    generate_key: bool = False
    """Mint an RSA-2048 key and a self-signed certificate; the key is returned, never stored."""
    api_key_label: str = "default"


@dataclass(frozen=True, slots=True)
class SenderCredentials:
    sender: Sender
    api_key: str
    private_key_pem: str | None = None


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(24)  # 24 bytes: 32 URL-safe characters


def organisation_number(value: str) -> str:
    """A Norwegian organisasjonsnummer (9 digits, MOD11) or a Swedish organisationsnummer (10 digits,
    Luhn, with or without its hyphen), as its digits."""
    digits = sum(c.isdigit() for c in value)
    return swedish_orgnr(value) if digits == 10 else organisasjonsnummer(value)


def _validate(cmd: RegisterSender) -> tuple[str, str, str | None]:
    errors: list[FieldError] = []
    name = cmd.name.strip()
    if not name:
        errors.append(FieldError("name", "must not be empty", RuleCode.EMPTY))
    elif len(name) > _MAX_NAME:
        errors.append(FieldError("name", f"at most {_MAX_NAME} characters", RuleCode.TOO_LONG))
    orgnr = ""
    try:
        orgnr = organisation_number(cmd.organisation_number)
    except InvalidIdentifier as exc:
        errors.append(FieldError("organisation_number", exc.rule, RuleCode.WRONG_FORMAT))
    if cmd.digipost_id is not None and cmd.digipost_id <= 0:
        errors.append(FieldError("digipost_id", "must be a positive number", RuleCode.INVALID))
    if cmd.certificate_pem is not None and cmd.generate_key:
        errors.append(
            FieldError(
                "certificate", "give a certificate or ask for a generated key, not both", RuleCode.INVALID
            )
        )
    certificate: str | None = None
    if cmd.certificate_pem is not None:
        try:
            certificate = validate_certificate(cmd.certificate_pem)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return name, orgnr, certificate


async def _free_digipost_id(uow: SqlUnitOfWork) -> int:
    taken = [s.digipost_id for s in await uow.senders.list() if s.digipost_id is not None]
    return max([FIRST_DIGIPOST_ID - 1, *taken]) + 1


async def _insert(cmd: RegisterSender, sender: Sender, api_key: str, runtime: Runtime) -> Sender:
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        if await uow.senders.by_organisation_number(sender.organisation_number):
            raise Conflict(
                "organisation_number", "a sender with this organisation number exists", ConflictCode.DUPLICATE
            )
        if cmd.digipost_id is None:
            sender = replace(sender, digipost_id=await _free_digipost_id(uow))
        elif await uow.senders.by_digipost_id(cmd.digipost_id):
            raise Conflict("digipost_id", "a sender with this digipost id exists", ConflictCode.DUPLICATE)
        await uow.senders.add(sender, now=now)  # with its Digipost id and certificate as a credential
        await uow.senders.add_api_key(sender.id, api_key, cmd.api_key_label, now=now)
    return sender


async def register_sender(cmd: RegisterSender, runtime: Runtime) -> SenderCredentials:
    """Store a new sender and issue its first API key. Without a digipost id, the next free one."""
    name, orgnr, certificate = _validate(cmd)
    key_pem: str | None = None
    if cmd.generate_key:
        key_bytes, cert_bytes = generate_test_key_and_certificate(name)
        key_pem, certificate = key_bytes.decode("ascii"), cert_bytes.decode("ascii")
    api_key = new_api_key()
    sender = Sender(uuid.uuid4(), name, orgnr, digipost_id=cmd.digipost_id, certificate_pem=certificate)
    for _ in range(_INSERT_ATTEMPTS):
        try:
            return SenderCredentials(await _insert(cmd, sender, api_key, runtime), api_key, key_pem)
        except DuplicateKey:
            # Another process registered a sender meanwhile (PostgreSQL does not serialise the
            # checks above); looking again finds the clash or the next free digipost id.
            continue
    raise Conflict(
        "digipost_id", "could not find a free digipost id; give one with digipost_id", ConflictCode.DUPLICATE
    )


async def issue_api_key(sender_id: uuid.UUID, runtime: Runtime, *, label: str = "default") -> str:
    key = new_api_key()
    async with runtime.unit_of_work() as uow:
        if await uow.senders.get(sender_id) is None:
            raise NotFound("sender", sender_id)
        await uow.senders.add_api_key(sender_id, key, label, now=runtime.clock.now())
    return key


async def list_senders(runtime: Runtime) -> list[Sender]:
    async with runtime.reader() as uow:
        return await uow.senders.list()


async def get_sender(sender_id: uuid.UUID, runtime: Runtime) -> Sender:
    async with runtime.reader() as uow:
        sender = await uow.senders.get(sender_id)
    if sender is None:
        raise NotFound("sender", sender_id)
    return sender


async def sender_by_api_key(key: str, runtime: Runtime) -> Sender | None:
    async with runtime.reader() as uow:
        return await uow.senders.by_api_key(key)


async def find_sender(reference: str, runtime: Runtime) -> Sender:
    """A sender by id, organisation number (a Swedish one with its hyphen too) or digipost id:
    whatever an operator has at hand."""
    text = reference.strip()
    async with runtime.reader() as uow:
        sender: Sender | None = None
        try:
            sender = await uow.senders.get(uuid.UUID(text))
        except ValueError:
            if text.isdigit() or text.replace("-", "", 1).isdigit():
                sender = await uow.senders.by_organisation_number(text.replace("-", "", 1))
            if sender is None and text.isdigit():
                sender = await uow.senders.by_digipost_id(int(text))
    if sender is None:
        raise NotFound("sender", reference)
    return sender
