"""The seam to an e-ID that proves a person's national identity number (BankID, ID-porten), for
people who have no inbox to sign in to — a signer of a document, for one.

``EId`` is what a page asks of a provider: ``begin`` shows its login (or sends the browser to it),
``finish`` reads the answer and says whom it proved. The sandbox's stands in for a test BankID:
anyone may type any valid Norwegian fødselsnummer or Swedish personnummer and a name, and is
proven at the highest level, like the test identities of national test environments. Outside the
sandbox ``UnavailableEId`` says plainly that no e-ID is configured. The proof lives in the session
beside, and separate from, an inbox sign-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.documents import AuthenticationLevel
from postbud.domain.identifiers import InvalidIdentifier, PartyId, PartyIdKind, parse_party_id
from postbud.web.context import web_context
from postbud.web.errors import error_page

SESSION_KEY: Final = "e_id"
PERSONS: Final = (PartyIdKind.NO_PERSON, PartyIdKind.SE_PERSON)
MAX_NAME: Final = 255


class EIdFailed(Exception):
    """The provider's answer proves nobody; the message says why, for the person at the keyboard."""


@dataclass(frozen=True, slots=True)
class ProvenPerson:
    party: PartyId
    name: str
    level: AuthenticationLevel
    provider: str

    def as_session(self) -> dict[str, str]:
        return {
            "party": str(self.party),
            "name": self.name,
            "level": self.level.value,
            "provider": self.provider,
        }

    @classmethod
    def from_session(cls, data: object) -> ProvenPerson | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                parse_party_id(str(data["party"]), allow_synthetic=True),
                str(data["name"]),
                AuthenticationLevel(data["level"]),
                str(data["provider"]),
            )
        except (KeyError, ValueError, InvalidIdentifier):
            return None


class EId(Protocol):
    provider: str

    async def begin(self, request: Request, *, action: str, problem: str | None = None) -> Response:
        """Show the login; its answer is to be posted to ``action``."""
        ...

    async def finish(self, request: Request, answer: Mapping[str, Any]) -> ProvenPerson:
        """The person the answer proves; raises ``EIdFailed`` otherwise."""
        ...


def proven(request: Request) -> ProvenPerson | None:
    return ProvenPerson.from_session(request.session.get(SESSION_KEY))


def remember_proof(request: Request, person: ProvenPerson) -> None:
    request.session[SESSION_KEY] = person.as_session()


def forget_proof(request: Request) -> None:
    request.session.pop(SESSION_KEY, None)


def national_identity_number(raw: str) -> PartyId:
    """A Norwegian fødselsnummer or a Swedish personnummer (10 or 12 digits, with or without '-')."""
    text = raw.strip()
    try:
        party = parse_party_id(text, allow_synthetic=True)
    except InvalidIdentifier:
        digits = text.replace("-", "").replace("+", "").replace(" ", "")
        if not (digits.isdigit() and len(digits) == 10):
            raise
        party = parse_party_id("se:" + text)
    if party.kind not in PERSONS:
        raise InvalidIdentifier("national identity number", raw, "must be a person's, not an organisation's")
    return party


class SandboxEId:
    provider = "sandbox"

    async def begin(self, request: Request, *, action: str, problem: str | None = None) -> Response:
        context = {"action": action, "problem": problem}
        return web_context(request).pages.render(
            request, "e_id/login.html", context, status=400 if problem else 200
        )

    async def finish(self, request: Request, answer: Mapping[str, Any]) -> ProvenPerson:
        try:
            party = national_identity_number(str(answer.get("national_id") or ""))
        except InvalidIdentifier as exc:
            raise EIdFailed(exc.rule) from None
        name = " ".join(str(answer.get("name") or "").split())
        if not name or len(name) > MAX_NAME:
            raise EIdFailed(f"a name of 1 to {MAX_NAME} characters is needed")
        return ProvenPerson(party, name, AuthenticationLevel.IDPORTEN_4, self.provider)


class UnavailableEId:
    provider = "none"

    async def begin(self, request: Request, *, action: str, problem: str | None = None) -> Response:
        return error_page(request, 503, web_context(request).pages.text(request, "e_id.unavailable"))

    async def finish(self, request: Request, answer: Mapping[str, Any]) -> ProvenPerson:
        raise EIdFailed("no e-ID is configured")
