"""Use case: fill a sandbox with a synthetic population and one ready-to-use sender.

Deterministic for a given seed, and idempotent: people and organisations already present are
left alone, and the sandbox sender's credentials in the data folder are reused while they work.
The same seed with a larger count adds to the population; the first N stay the same people.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from postbud.config import Settings
from postbud.crypto.keys import (
    KeyLoadError,
    generate_test_key_and_certificate,
    load_certificate,
    load_private_key,
    self_signed_certificate,
)
from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.identifiers import (
    InvalidIdentifier,
    e164_phone,
    generate_fodselsnummer,
    generate_organisasjonsnummer,
)
from postbud.domain.ids import new_id
from postbud.domain.parties import Sender
from postbud.services.parties.credentials import record_digipost_certificate
from postbud.services.parties.recipients import RecipientInput, build_recipient, with_free_mailbox_address
from postbud.services.parties.senders import API_KEY_PREFIX, new_api_key
from postbud.services.runtime import Runtime

SANDBOX_SENDER_NAME = "Postbud Sandbox Sender"
SANDBOX_DIGIPOST_ID = 100000
SANDBOX_ORGNR = generate_organisasjonsnummer(random.Random("postbud-sandbox-sender"))
DEFAULT_PEOPLE = 200
DEFAULT_ORGANISATIONS = 30
DEFAULT_SEED = 1
_CHUNK = 100
_MIN_KEY_SECRET = 16


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _places(text: str) -> list[tuple[str, str]]:
    """``"0150 OSLO, 5003 BERGEN"`` as (postal code, city) pairs."""
    return [(p.split(maxsplit=1)[0], p.split(maxsplit=1)[1]) for p in text.split(",")]


_FIRST_NAMES = _words(
    """Ola Kari Per Anne Lars Ingrid Ole Marit Jon Solveig Knut Astrid Nils Sigrid Bjørn Liv Erik Hilde
    Arne Berit Thomas Nora Emil Emma Jakob Sofie Henrik Ida Magnus Thea Sander Maja Mathias Ingeborg
    Håkon Åse Øystein Silje Eirik Tone Kristian Camilla Sindre Vilde Torbjørn Frida"""
)
_LAST_NAMES = _words(
    """Nordmann Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen
    Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Henriksen Lund
    Halvorsen Sørensen Strand Bakken Solberg Moen Lie Rønning Aasen Fjeld Lunde Brekke Sæther Vik"""
)
_STREETS = _words(
    """Storgata Kirkegata Skolegata Parkveien Fjordveien Bjørkeveien Granåsen Elvegata Torggata
    Strandveien Solbakken Lyngveien Bryggen Havnegata Fjellveien Eikelia"""
)
_PLACES = _places(
    """0150 OSLO, 0557 OSLO, 0661 OSLO, 1337 SANDVIKA, 1606 FREDRIKSTAD, 2317 HAMAR,
    3015 DRAMMEN, 3110 TØNSBERG, 4006 STAVANGER, 4612 KRISTIANSAND S, 5003 BERGEN, 5515 HAUGESUND,
    6002 ÅLESUND, 7011 TRONDHEIM, 8006 BODØ, 9008 TROMSØ, 9600 HAMMERFEST"""
)
_ORG_WORDS = _words(
    """Fjord Nordlys Vestland Lofoten Midnatt Polar Fjell Havbris Granitt Tindved Bølge Furu Skjær Kyst
    Elvedal Solstreif Isbre Moltebær"""
)
_ORG_TRADES = _words(
    """Regnskap Bygg Rør Elektro Transport Eiendom Tannklinikk Advokatfirma Bakeri Data Fiskeri
    Rådgivning Energi Trykkeri Barnehage Boligbyggelag"""
)
_ORG_FORMS = ("AS", "AS", "AS", "ASA", "SA", "DA")


@dataclass(frozen=True, slots=True)
class SeedOptions:
    people: int = DEFAULT_PEOPLE
    organisations: int = DEFAULT_ORGANISATIONS
    seed: int = DEFAULT_SEED


@dataclass(frozen=True, slots=True)
class SandboxSender:
    sender_id: str
    name: str
    organisation_number: str
    digipost_id: int
    api_key: str
    key_file: str
    certificate_file: str
    created: bool

    def as_json(self) -> dict[str, object]:
        return {
            "sender_id": self.sender_id,
            "name": self.name,
            "organisation_number": self.organisation_number,
            "digipost_id": self.digipost_id,
            "api_key": self.api_key,
            "key_file": self.key_file,
            "certificate_file": self.certificate_file,
        }


@dataclass(frozen=True, slots=True)
class SeedResult:
    people_created: int
    organisations_created: int
    already_present: int
    sandbox_sender: SandboxSender


def _mobile(rng: random.Random) -> str:
    while True:
        try:
            return e164_phone(rng.choice("49") + "".join(rng.choice("0123456789") for _ in range(7)))
        except InvalidIdentifier:
            continue


def _address(rng: random.Random) -> str:
    postal_code, city = rng.choice(_PLACES)
    return f"{rng.choice(_STREETS)} {rng.randint(1, 120)}|{postal_code}|{city}"


def people(rng: random.Random, count: int) -> Iterator[RecipientInput]:
    """Synthetic people: ~70 % with a digital mailbox, ~8 % reserved, most with e-mail and mobile."""
    for _ in range(count):
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        fnr = generate_fodselsnummer(rng)
        mailbox = rng.random() < 0.70
        reserved = rng.random() < 0.08
        email_user = f"{first}.{last}{rng.randint(1, 999)}".lower()
        email_user = email_user.replace("æ", "ae").replace("ø", "o").replace("å", "aa")
        email = f"{email_user}@example.com" if rng.random() < 0.85 else None
        mobile = _mobile(rng) if rng.random() < 0.80 else None
        yield RecipientInput(
            id=fnr,
            name=f"{first} {last}",
            mailbox=mailbox,
            reserved=reserved,
            email=email,
            mobile=mobile,
            address=_address(rng),
        )


def organisations(rng: random.Random, count: int) -> Iterator[RecipientInput]:
    """Synthetic organisations, each with a business inbox."""
    for _ in range(count):
        name = f"{rng.choice(_ORG_WORDS)} {rng.choice(_ORG_TRADES)} {rng.choice(_ORG_FORMS)}"
        orgnr = generate_organisasjonsnummer(rng)
        yield RecipientInput(
            id=orgnr,
            name=name,
            mailbox=True,
            email=f"post.{orgnr}@example.com",
            mobile=_mobile(rng) if rng.random() < 0.5 else None,
            address=_address(rng),
        )


async def _add_missing(
    runtime: Runtime, inputs: list[RecipientInput], on_progress: Callable[[int], None] | None
) -> int:
    created = 0
    for start in range(0, len(inputs), _CHUNK):
        chunk = inputs[start : start + _CHUNK]
        async with runtime.unit_of_work() as uow:
            now = runtime.clock.now()
            for data in chunk:
                recipient = build_recipient(data)
                if await uow.recipients.by_party_id(recipient.party_id) is not None:
                    continue
                await uow.recipients.add(await with_free_mailbox_address(uow, recipient), now=now)
                created += 1
        if on_progress is not None:
            on_progress(len(chunk))
    return created


def _sandbox_dir(runtime: Runtime) -> Path:
    return runtime.settings.ensure_data_dir() / "sandbox"


def _stored_credentials(folder: Path) -> dict[str, object] | None:
    try:
        data = json.loads((folder / "sender.json").read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True, slots=True)
class FixedCredentials:
    """What the configuration fixes of the sandbox sender (``POSTBUD_SANDBOX_*``); None: generated."""

    api_key: str | None = None
    key_pem: bytes | None = None
    """The RSA private key, PKCS#8 PEM."""

    @classmethod
    def of(cls, settings: Settings) -> FixedCredentials:
        api_key = settings.sandbox_api_key
        if api_key is not None and not (
            api_key.startswith(API_KEY_PREFIX) and len(api_key) >= len(API_KEY_PREFIX) + _MIN_KEY_SECRET
        ):
            raise ValidationFailed.of(
                "POSTBUD_SANDBOX_API_KEY",
                f"an API key is {API_KEY_PREFIX} followed by at least {_MIN_KEY_SECRET} characters",
                RuleCode.WRONG_FORMAT,
            )
        key_pem = None
        if settings.sandbox_sender_key_file is not None:
            path = settings.sandbox_sender_key_file.expanduser()
            try:
                key = load_private_key(path.read_bytes())
            except (OSError, KeyLoadError) as exc:
                raise ValidationFailed.of(
                    "POSTBUD_SANDBOX_SENDER_KEY_FILE",
                    f"{path}: not a readable RSA key ({exc})",
                    RuleCode.INVALID,
                ) from exc
            key_pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        return cls(api_key, key_pem)

    @property
    def any(self) -> bool:
        return self.api_key is not None or self.key_pem is not None

    def holds(self, api_key: str, certificate_pem: str | None) -> bool:
        """Whether stored credentials are the fixed ones (anything not fixed holds)."""
        if self.api_key is not None and api_key != self.api_key:
            return False
        if self.key_pem is None:
            return True
        if certificate_pem is None:
            return False
        der, spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        fixed = load_private_key(self.key_pem).public_key().public_bytes(der, spki)
        return load_certificate(certificate_pem.encode()).public_key().public_bytes(der, spki) == fixed


async def _reusable(runtime: Runtime, sender: Sender, folder: Path) -> SandboxSender | None:
    stored = _stored_credentials(folder)
    if stored is None or not (folder / "sender-key.pem").exists():
        return None
    api_key = stored.get("api_key")
    if stored.get("sender_id") != str(sender.id) or not isinstance(api_key, str):
        return None
    if not FixedCredentials.of(runtime.settings).holds(api_key, sender.certificate_pem):
        return None
    async with runtime.reader() as uow:
        owner = await uow.senders.by_api_key(api_key)
    if owner is None or owner.id != sender.id:
        return None
    return _describe(sender, api_key, folder, created=False)


def _describe(sender: Sender, api_key: str, folder: Path, *, created: bool) -> SandboxSender:
    return SandboxSender(
        sender_id=str(sender.id),
        name=sender.name,
        organisation_number=sender.organisation_number,
        digipost_id=SANDBOX_DIGIPOST_ID,
        api_key=api_key,
        key_file=str(folder / "sender-key.pem"),
        certificate_file=str(folder / "sender-cert.pem"),
        created=created,
    )


def _write_private(path: Path, text: str) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)


async def sandbox_sender(runtime: Runtime) -> SandboxSender:
    """The sandbox sender, created or given fresh credentials when the stored ones do not work."""
    folder = _sandbox_dir(runtime)
    async with runtime.reader() as uow:
        existing = await uow.senders.by_digipost_id(SANDBOX_DIGIPOST_ID)
    if existing is not None and (reused := await _reusable(runtime, existing, folder)) is not None:
        return reused
    fixed = FixedCredentials.of(runtime.settings)
    if fixed.key_pem is not None:
        key_pem = fixed.key_pem
        cert_pem = self_signed_certificate(load_private_key(key_pem), SANDBOX_SENDER_NAME)
    else:
        key_pem, cert_pem = generate_test_key_and_certificate(SANDBOX_SENDER_NAME)
    api_key = fixed.api_key or new_api_key()
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        sender = await uow.senders.by_digipost_id(SANDBOX_DIGIPOST_ID)
        if sender is None:
            sender = Sender(
                id=new_id(),
                name=SANDBOX_SENDER_NAME,
                organisation_number=SANDBOX_ORGNR,
                digipost_id=SANDBOX_DIGIPOST_ID,
                certificate_pem=cert_pem.decode("ascii"),
            )
            await uow.senders.add(sender, now=now)
        else:
            sender = replace(sender, certificate_pem=cert_pem.decode("ascii"))
            await uow.senders.update(sender)
        await record_digipost_certificate(uow, sender, runtime)
        holder = await uow.senders.by_api_key(api_key)
        if holder is not None and holder.id != sender.id:
            raise ValidationFailed.of(
                "POSTBUD_SANDBOX_API_KEY", "the key belongs to another sender", RuleCode.NOT_UNIQUE
            )
        if holder is None:
            await uow.senders.add_api_key(sender.id, api_key, "sandbox", now=now)
    folder.mkdir(parents=True, exist_ok=True)
    _write_private(folder / "sender-key.pem", key_pem.decode("ascii"))
    (folder / "sender-cert.pem").write_text(cert_pem.decode("ascii"))
    described = _describe(sender, api_key, folder, created=existing is None)
    _write_private(folder / "sender.json", json.dumps(described.as_json(), indent=2) + "\n")
    return described


async def seed(
    runtime: Runtime, options: SeedOptions = SeedOptions(), on_progress: Callable[[int], None] | None = None
) -> SeedResult:
    # Separate streams keep the first N people the same whatever the number of organisations.
    population = list(people(random.Random(f"people-{options.seed}"), options.people))
    companies = list(organisations(random.Random(f"organisations-{options.seed}"), options.organisations))
    sender = await sandbox_sender(runtime)
    people_created = await _add_missing(runtime, population, on_progress)
    orgs_created = await _add_missing(runtime, companies, on_progress)
    present = len(population) + len(companies) - people_created - orgs_created
    return SeedResult(people_created, orgs_created, present, sender)


def total_rows(options: SeedOptions) -> int:
    return options.people + options.organisations
