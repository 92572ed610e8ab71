"""The ``einbox_signer`` address: a document every signer signs (in their inbox if they have one,
else by e-ID login on the page their e-mail links to), and ``info_mail`` gets the signed document
when all have signed.

Read and checked by the seed's rules (``info_mail`` 120/123, at least one signer 122, each signer's
e-mail 120/123 and recipient 119/139, at most one issuer 127). The envelope becomes a core letter
with a signing request: its channel is e-mail to ``info_mail``, carried only once all have signed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postbud.dialects.ekopost.envelope_address import EINBOX_SIGNER, EnvelopeAddress, recipient_id
from postbud.dialects.ekopost.errors import EkopostError, invalid
from postbud.dialects.ekopost.wire_in import boolean, text
from postbud.domain.channels import Channel
from postbud.domain.identifiers import InvalidIdentifier
from postbud.domain.identifiers.contact import email_address
from postbud.domain.signing import SignerInput, SigningInput

_W = "address."


def _email(value: str | None, field: str) -> str:
    if value is None:
        raise EkopostError("120", f"{field}: an e-mail address is required")
    try:
        return email_address(value)
    except InvalidIdentifier as exc:
        raise EkopostError("123", f"{field}: {exc.rule}") from None


def signer_address(raw: Mapping[str, Any]) -> EnvelopeAddress:
    """The address as the core routes it: e-mail to ``info_mail``, with the signers in its echo."""
    info_mail = _email(text(raw, "info_mail", max_length=254, where=_W), _W + "info_mail")
    signers = raw.get("signers")
    if not signers:
        raise EkopostError("122", "address.signers: at least one signer is needed")
    if not isinstance(signers, list) or not all(isinstance(s, Mapping) for s in signers):
        raise invalid(_W + "signers", "must be an array of signer objects")
    echoed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, signer in enumerate(signers):
        where = f"{_W}signers[{index}]."
        email = _email(text(signer, "email", max_length=254, where=where), where + "email")
        who = text(signer, "recipient", max_length=40, where=where)
        if who is None:
            raise EkopostError("119", f"{where}recipient: the signer's social security number is required")
        party = recipient_id(who, where + "recipient")
        issuer = boolean(signer, "issuer", where=where)
        if issuer and any(s["issuer"] for s in echoed):
            raise invalid(_W + "signers", "only one signer may be the issuer")
        if str(party) in seen:
            raise invalid(where + "recipient", f"{who} is named as a signer twice")
        seen.add(str(party))
        echoed.append({"email": email, "recipient": who, "issuer": issuer})
    wire: dict[str, Any] = {"$type": EINBOX_SIGNER, "info_mail": info_mail, "signers": echoed}
    sender_id = text(raw, "sender_id", max_length=100, where=_W)
    if sender_id is not None:
        wire["sender_id"] = sender_id
    return EnvelopeAddress(EINBOX_SIGNER, wire, (Channel.EMAIL,), email=info_mail)


def signing_of(wire: Mapping[str, Any]) -> SigningInput:
    """The core's signing request from the address as the envelope stored it (checked at create)."""
    return SigningInput(
        info_email=str(wire["info_mail"]),
        signers=tuple(
            SignerInput(
                recipient_id(s["recipient"], "address.signers.recipient"), s["email"], bool(s["issuer"])
            )
            for s in wire["signers"]
        ),
    )
