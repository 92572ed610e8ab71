"""The ``einbox_signer`` address: read and checked by the seed's rules, then 501.

Signing a document in the inbox by every signer (a sandbox e-ID), and mailing the signed document to
``info_mail`` when all have signed, is not built; a valid signer address answers 501 so that no
envelope is made that would never be signed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postbud.dialects.ekopost.envelope_address import recipient_id
from postbud.dialects.ekopost.errors import EkopostError, invalid, not_implemented
from postbud.dialects.ekopost.wire_in import boolean, text
from postbud.domain.identifiers import InvalidIdentifier
from postbud.domain.identifiers.contact import email_address

_W = "address."


def _email(value: str | None, field: str) -> None:
    if value is None:
        raise EkopostError("120", f"{field}: an e-mail address is required")
    try:
        email_address(value)
    except InvalidIdentifier as exc:
        raise EkopostError("123", f"{field}: {exc.rule}") from None


def check_signer_address(raw: Mapping[str, Any]) -> EkopostError:
    """The error to answer for a signer address: a broken rule, else 501."""
    _email(text(raw, "info_mail", max_length=254, where=_W), _W + "info_mail")
    signers = raw.get("signers")
    if not signers:
        raise EkopostError("122", "address.signers: at least one signer is needed")
    if not isinstance(signers, list) or not all(isinstance(s, Mapping) for s in signers):
        raise invalid(_W + "signers", "must be an array of signer objects")
    issuers = 0
    for index, signer in enumerate(signers):
        where = f"{_W}signers[{index}]."
        _email(text(signer, "email", max_length=254, where=where), where + "email")
        who = text(signer, "recipient", max_length=40, where=where)
        if who is None:
            raise EkopostError("119", f"{where}recipient: the signer's social security number is required")
        recipient_id(who, where + "recipient")
        issuers += boolean(signer, "issuer", where=where)
    if issuers > 1:
        raise invalid(_W + "signers", "only one signer may be the issuer")
    return not_implemented("the address type 'einbox_signer' (signing in the inbox)")
