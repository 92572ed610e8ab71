"""Use cases on senders' per-dialect credentials: grant, look up, authenticate, revoke.

Each dialect authenticates its clients its own way and asks here who the sender is: Digipost by a
numeric id and the certificate that signs its requests, Ekopost by an API key or a Basic login,
Altinn by the organisation a token names (with the scopes that organisation was granted).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from postbud.crypto.passwords import hash_password, verify_password
from postbud.domain.errors import Conflict, ConflictCode, NotFound, RuleCode, ValidationFailed
from postbud.domain.ids import new_id
from postbud.domain.parties import Sender
from postbud.domain.sender_credentials import CredentialKind, SenderCredential
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey
from postbud.storage.hot_reads_ekopost import sender_by_key
from postbud.storage.unit_of_work import SqlUnitOfWork

DIGIPOST, EKOPOST, ALTINN = "digipost", "ekopost", "altinn"
"""The dialects' names as credentials (and shipments) record them."""
DIALECT_API_KEY_PREFIX = "pb_dialect_"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
_MAX_USER = 200
_LIVE_IDENTIFIER = "ix_sender_credentials_live"
"""The unique index that keeps one live credential per dialect, kind and identifier."""


def api_key_identifier(key: str) -> str:
    """API keys are found by their SHA-256, never stored themselves."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_credential(
    sender_id: uuid.UUID,
    dialect: str,
    kind: CredentialKind,
    identifier: str,
    *,
    runtime: Runtime,
    data: Mapping[str, object] | None = None,
    secret_hash: str | None = None,
) -> SenderCredential:
    return SenderCredential(
        id=new_id(),
        sender_id=sender_id,
        dialect=dialect,
        kind=kind,
        identifier=identifier,
        created_at=runtime.clock.now(),
        data=dict(data or {}),
        secret_hash=secret_hash,
    )


async def add_credential(uow: SqlUnitOfWork, credential: SenderCredential) -> None:
    """Store ``credential`` in ``uow``; Conflict if a live one of its dialect and kind has its identifier."""
    store = uow.credentials
    if await store.live(credential.dialect, credential.kind, credential.identifier) is not None:
        raise Conflict(
            "identifier",
            f"this {credential.dialect} {credential.kind.value} is in use already",
            ConflictCode.DUPLICATE,
        )
    await store.add(credential)


@contextmanager
def _one_live_identifier() -> Iterator[None]:
    """Around a unit of work: a concurrent writer that took the identifier first is a Conflict too
    (the check in ``add_credential`` cannot see a transaction that has not committed)."""
    try:
        yield
    except DuplicateKey as exc:
        if exc.constraint != _LIVE_IDENTIFIER:
            raise
        raise Conflict("identifier", "in use already", ConflictCode.DUPLICATE) from None


def validate_certificate(pem: str) -> str:
    """The certificate as tidy PEM, or ValidationFailed naming ``certificate``."""
    try:
        certificate = x509.load_pem_x509_certificate(pem.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise ValidationFailed.of(
            "certificate", "must be one X.509 certificate in PEM form", RuleCode.WRONG_FORMAT
        ) from None
    if not isinstance(certificate.public_key(), RSAPublicKey):
        raise ValidationFailed.of(
            "certificate", "must carry an RSA public key (Digipost signs with RSA)", RuleCode.INVALID
        )
    return pem.strip() + "\n"


async def _sender(uow: SqlUnitOfWork, sender_id: uuid.UUID) -> Sender:
    sender = await uow.senders.get(sender_id)
    if sender is None:
        raise NotFound("sender", sender_id)
    return sender


def digipost_certificate(sender: Sender, runtime: Runtime) -> SenderCredential | None:
    """The Digipost credential for ``sender``'s numeric id and certificate, if it has an id."""
    if sender.digipost_id is None:
        return None
    data = {"certificate_pem": sender.certificate_pem}
    return new_credential(
        sender.id, DIGIPOST, CredentialKind.CERTIFICATE, str(sender.digipost_id), runtime=runtime, data=data
    )


async def record_digipost_certificate(uow: SqlUnitOfWork, sender: Sender, runtime: Runtime) -> None:
    """Make ``sender``'s Digipost id and certificate its one live Digipost credential, inside ``uow``.

    The credential is the only place they are stored: a ``Sender`` read back has them from it."""
    store = uow.credentials
    credential = digipost_certificate(sender, runtime)
    for old in await store.of_sender(sender.id, dialect=DIGIPOST):
        if old.kind is not CredentialKind.CERTIFICATE:
            continue
        if credential is not None and (old.identifier, old.data) == (credential.identifier, credential.data):
            return  # recorded already (a new sender's row brings its credential): nothing changes
        await store.revoke(old.id, at=runtime.clock.now())
    if credential is not None:
        await add_credential(uow, credential)


async def replace_digipost_certificate(
    runtime: Runtime, sender_id: uuid.UUID, certificate_pem: str
) -> SenderCredential:
    """Rotate the certificate a Digipost sender signs with: the old credential is revoked, a new one
    with the same numeric id takes its place, in one transaction."""
    pem = validate_certificate(certificate_pem)
    with _one_live_identifier():
        async with runtime.unit_of_work() as uow:
            sender = await _sender(uow, sender_id)
            if sender.digipost_id is None:
                raise ValidationFailed.of("digipost_id", "the sender has no Digipost id", RuleCode.REQUIRED)
            await record_digipost_certificate(uow, replace(sender, certificate_pem=pem), runtime)
            live = await uow.credentials.live(DIGIPOST, CredentialKind.CERTIFICATE, str(sender.digipost_id))
    assert live is not None
    return live


async def digipost_sender(runtime: Runtime, digipost_id: int) -> tuple[Sender, str | None] | None:
    """The sender with this live Digipost id and the certificate its requests must be signed with."""
    async with runtime.quick_reader() as uow:
        sender = await uow.senders.by_digipost_id(digipost_id)
    return (sender, sender.certificate_pem) if sender is not None else None


async def issue_dialect_api_key(runtime: Runtime, sender_id: uuid.UUID, dialect: str) -> str:
    """A key valid only for ``dialect`` (shown once; its hash is stored)."""
    key = DIALECT_API_KEY_PREFIX + secrets.token_urlsafe(24)
    with _one_live_identifier():
        async with runtime.unit_of_work() as uow:
            await _sender(uow, sender_id)
            credential = new_credential(
                sender_id, dialect, CredentialKind.API_KEY, api_key_identifier(key), runtime=runtime
            )
            await add_credential(uow, credential)
    return key


async def sender_by_dialect_api_key(runtime: Runtime, dialect: str, key: str) -> Sender | None:
    """The sender a key belongs to: a key issued for ``dialect``, or the sender's platform API key."""
    return await sender_by_key(runtime.database, dialect, api_key_identifier(key), key)


def _validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed.of("password", f"at least {MIN_PASSWORD_LENGTH} characters", RuleCode.TOO_FEW)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed.of("password", f"at most {MAX_PASSWORD_LENGTH} characters", RuleCode.TOO_LONG)


async def set_basic_login(
    runtime: Runtime,
    sender_id: uuid.UUID,
    dialect: str,
    *,
    password: str | None = None,
    user: str | None = None,
) -> tuple[SenderCredential, str]:
    """A Basic login for ``dialect``: the user is the sender's organisation number unless given; the
    password is generated unless given. Replaces the sender's previous login with that user name.
    Returns the credential and the password (shown once; only its hash is stored)."""
    secret = password if password is not None else secrets.token_urlsafe(24)
    _validate_password(secret)
    secret_hash = await asyncio.to_thread(hash_password, secret)  # slow on purpose: not in the transaction
    with _one_live_identifier():
        async with runtime.unit_of_work() as uow:
            sender = await _sender(uow, sender_id)
            name = (user or sender.organisation_number).strip()
            if not name or len(name) > _MAX_USER or ":" in name:
                raise ValidationFailed.of("user", "1 to 200 characters, without ':'", RuleCode.WRONG_FORMAT)
            store = uow.credentials
            previous = await store.live(dialect, CredentialKind.BASIC_LOGIN, name)
            if previous is not None:
                if previous.sender_id != sender_id:
                    raise Conflict("user", "another sender has this user name", ConflictCode.DUPLICATE)
                await store.revoke(previous.id, at=runtime.clock.now())
            credential = new_credential(
                sender_id,
                dialect,
                CredentialKind.BASIC_LOGIN,
                name,
                runtime=runtime,
                secret_hash=secret_hash,
            )
            await add_credential(uow, credential)
    return credential, secret


# Passwords already found to match a stored hash (by their SHA-256, never the text): a client that
# sends Basic auth on every request pays the deliberately slow hash once, not per request. The
# credential itself is read every time, so a revoked or replaced login stops working at once.
_MATCHED: OrderedDict[tuple[str, bytes], None] = OrderedDict()
_MATCHED_MAX = 1024


async def _password_matches(password: str, stored_hash: str) -> bool:
    key = (stored_hash, hashlib.sha256(password.encode("utf-8")).digest())
    if key in _MATCHED:
        _MATCHED.move_to_end(key)
        return True
    # scrypt takes tens of milliseconds of CPU: not on the event loop.
    if not await asyncio.to_thread(verify_password, password, stored_hash):
        return False
    _MATCHED[key] = None
    while len(_MATCHED) > _MATCHED_MAX:
        _MATCHED.popitem(last=False)
    return True


async def sender_by_basic_login(runtime: Runtime, dialect: str, user: str, password: str) -> Sender | None:
    """The sender whose live Basic login for ``dialect`` this is; None for a wrong user or password."""
    async with runtime.quick_reader() as uow:
        credential = await uow.credentials.live(dialect, CredentialKind.BASIC_LOGIN, user)
        if credential is None or credential.secret_hash is None:
            return None
        sender = await uow.senders.get(credential.sender_id)
    return sender if await _password_matches(password, credential.secret_hash) else None


async def grant_organisation(
    runtime: Runtime, sender_id: uuid.UUID, dialect: str, scopes: tuple[str, ...]
) -> SenderCredential:
    """The sender acts in ``dialect`` as its organisation with ``scopes`` (Altinn); replaces a grant."""
    clean = tuple(dict.fromkeys(s.strip() for s in scopes if s.strip()))
    if not clean:
        raise ValidationFailed.of("scopes", "name at least one scope", RuleCode.REQUIRED)
    with _one_live_identifier():
        async with runtime.unit_of_work() as uow:
            sender = await _sender(uow, sender_id)
            store = uow.credentials
            previous = await store.live(dialect, CredentialKind.ORGANISATION, sender.organisation_number)
            if previous is not None:
                await store.revoke(previous.id, at=runtime.clock.now())
            credential = new_credential(
                sender_id,
                dialect,
                CredentialKind.ORGANISATION,
                sender.organisation_number,
                runtime=runtime,
                data={"scopes": list(clean)},
            )
            await add_credential(uow, credential)
    return credential


async def sender_by_organisation(
    runtime: Runtime, dialect: str, organisation_number: str
) -> tuple[Sender, tuple[str, ...]] | None:
    """The sender acting as this organisation in ``dialect`` and the scopes it was granted."""
    async with runtime.quick_reader() as uow:
        credential = await uow.credentials.live(dialect, CredentialKind.ORGANISATION, organisation_number)
        if credential is None:
            return None
        sender = await uow.senders.get(credential.sender_id)
    return (sender, credential.scopes) if sender is not None else None


async def list_credentials(
    runtime: Runtime, sender_id: uuid.UUID, *, include_revoked: bool = False
) -> list[SenderCredential]:
    async with runtime.reader() as uow:
        await _sender(uow, sender_id)
        return await uow.credentials.of_sender(sender_id, include_revoked=include_revoked)


async def revoke_credential(
    runtime: Runtime, credential_id: uuid.UUID, *, sender_id: uuid.UUID | None = None
) -> SenderCredential:
    """Revoke one credential; ``sender_id`` limits it to that sender's (others are not found)."""
    at = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        store = uow.credentials
        credential = await store.get(credential_id)
        if credential is None or (sender_id is not None and credential.sender_id != sender_id):
            raise NotFound("credential", credential_id)
        if not await store.revoke(credential_id, at=at):
            raise Conflict("credential", "revoked already", ConflictCode.ALREADY_DONE)
    return replace(credential, revoked_at=at)
