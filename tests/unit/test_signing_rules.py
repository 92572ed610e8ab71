"""The pure rules of a signing request: who must sign, at most one issuer, and who may sign when."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from postbud.domain.errors import Conflict, ConflictCode, NotPermitted, PermissionCode, RuleCode
from postbud.domain.identifiers import parse_party_id
from postbud.domain.signing import (
    MAX_SIGNERS,
    Signer,
    SignerInput,
    SigningInput,
    SigningRequest,
    signer_who_may_sign,
    signing_errors,
)

ANNA = parse_party_id("se:196103054166")
OLA = parse_party_id("15108695088")
NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def _input(*signers: SignerInput) -> SigningInput:
    return SigningInput("info@example.se", signers)


def test_a_request_needs_signers_one_issuer_at_most_and_each_person_once() -> None:
    assert (
        signing_errors(
            _input(SignerInput(ANNA, "a@example.se", issuer=True), SignerInput(OLA, "o@example.no"))
        )
        == []
    )
    assert [e.code for e in signing_errors(_input())] == [RuleCode.TOO_FEW]
    two_issuers = _input(SignerInput(ANNA, "a@example.se", True), SignerInput(OLA, "o@example.no", True))
    assert [(e.field, e.code) for e in signing_errors(two_issuers)] == [("signing.signers", RuleCode.INVALID)]
    twice = _input(SignerInput(ANNA, "a@example.se"), SignerInput(ANNA, "b@example.se"))
    assert [(e.field, e.code) for e in signing_errors(twice, "address")] == [
        ("address.signers[1].recipient", RuleCode.NOT_UNIQUE)
    ]
    many = _input(
        *(
            SignerInput(parse_party_id(f"se:{n}"), "x@example.se")
            for n in ["196103054166"] * (MAX_SIGNERS + 1)
        )
    )
    assert RuleCode.TOO_MANY in {e.code for e in signing_errors(many)}


def _request(*, opened: bool = True, signed: tuple[bool, bool] = (False, False)) -> SigningRequest:
    people = (uuid.uuid4(), uuid.uuid4())
    signers = tuple(
        Signer(n, party, people[n], f"Person {n}", f"p{n}@example.se", n == 0, NOW if signed[n] else None)
        for n, party in enumerate((ANNA, OLA))
    )
    return SigningRequest(
        id=uuid.uuid4(),
        shipment_id=uuid.uuid4(),
        sender_id=uuid.uuid4(),
        info_email="info@example.se",
        document_sha256="0" * 64,
        signers=signers,
        created_at=NOW,
        opened_at=NOW if opened else None,
    )


def test_only_a_signer_may_sign_once_the_document_is_out_and_only_once() -> None:
    request = _request()
    assert signer_who_may_sign(request, request.signers[1].recipient_id).position == 1
    # A signer may also be known by the national identity number an e-ID login proved.
    assert signer_who_may_sign(request, request.signers[0].party).position == 0
    with pytest.raises(NotPermitted) as stranger:
        signer_who_may_sign(request, uuid.uuid4())
    assert stranger.value.code is PermissionCode.NOT_OWNER
    unreleased = _request(opened=False)
    with pytest.raises(Conflict) as early:
        signer_who_may_sign(unreleased, unreleased.signers[0].recipient_id)
    assert early.value.code is ConflictCode.NOT_YET
    half = _request(signed=(True, False))
    with pytest.raises(Conflict) as again:
        signer_who_may_sign(half, half.signers[0].recipient_id)
    assert again.value.code is ConflictCode.ALREADY_DONE
    assert not half.all_signed
    assert _request(signed=(True, True)).all_signed
