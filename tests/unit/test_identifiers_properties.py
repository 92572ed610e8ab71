"""Property tests: generated numbers validate, and single-digit errors are caught."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from postbud.domain.identifiers import (
    InvalidIdentifier,
    PartyId,
    PartyIdKind,
    fodselsnummer,
    generate_fodselsnummer,
    generate_kid,
    generate_norwegian_account,
    generate_organisasjonsnummer,
    generate_swedish_orgnr,
    generate_swedish_personnummer,
    kid,
    kid_mod10,
    kid_mod11,
    norwegian_account,
    organisasjonsnummer,
    parse_party_id,
    swedish_orgnr,
    swedish_personnummer,
)

rngs = st.randoms(use_true_random=False)
birth_dates = st.dates(min_value=dt.date(1854, 1, 1), max_value=dt.date(2039, 12, 31))
digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=24)
TODAY = dt.date(2030, 1, 1)


def _is_rejected(validate: Callable[[str], str], value: str) -> bool:
    try:
        validate(value)
    except InvalidIdentifier:
        return True
    return False


@st.composite
def one_digit_changed(draw: st.DrawFn, number: str) -> str:
    position = draw(st.integers(min_value=0, max_value=len(number) - 1))
    digit = draw(st.sampled_from([d for d in "0123456789" if d != number[position]]))
    return number[:position] + digit + number[position + 1 :]


@given(rngs, st.one_of(st.none(), birth_dates), st.booleans(), st.booleans())
def test_generated_fodselsnummer_validates(
    rng: random.Random, birth_date: dt.date | None, d_number: bool, synthetic: bool
) -> None:
    number = generate_fodselsnummer(rng, birth_date=birth_date, d_number=d_number, synthetic=synthetic)

    assert fodselsnummer(number, allow_synthetic=True) == number
    assert _is_rejected(fodselsnummer, number) is synthetic


@given(rngs, st.data())
def test_one_changed_digit_breaks_a_fodselsnummer(rng: random.Random, data: st.DataObject) -> None:
    # K2's weights are all non-zero mod 11, so even with the relaxed 2032 K1 rule no single error slips by.
    number = generate_fodselsnummer(rng)

    assert _is_rejected(fodselsnummer, data.draw(one_digit_changed(number)))


@given(rngs, st.data())
def test_one_changed_digit_breaks_an_organisasjonsnummer(rng: random.Random, data: st.DataObject) -> None:
    number = generate_organisasjonsnummer(rng)

    assert organisasjonsnummer(number) == number
    assert number[0] in "89"
    assert _is_rejected(organisasjonsnummer, data.draw(one_digit_changed(number)))


@given(rngs, st.data())
def test_one_changed_digit_breaks_a_norwegian_account(rng: random.Random, data: st.DataObject) -> None:
    number = generate_norwegian_account(rng)
    changed = data.draw(one_digit_changed(number))

    assert norwegian_account(number) == number
    # A change that makes the bank code 0000 switches to the postgiro Luhn rule, which is another number.
    if not changed.startswith("0000"):
        assert _is_rejected(norwegian_account, changed)


@given(rngs, st.data())
def test_one_changed_digit_breaks_a_swedish_orgnr(rng: random.Random, data: st.DataObject) -> None:
    number = generate_swedish_orgnr(rng)

    assert swedish_orgnr(number) == number
    assert _is_rejected(swedish_orgnr, data.draw(one_digit_changed(number)))


@given(rngs, st.integers(min_value=2, max_value=25), st.sampled_from(["mod10", "mod11"]))
def test_generated_kid_validates(rng: random.Random, length: int, algorithm: str) -> None:
    number = generate_kid(rng, length=length, algorithm="mod10" if algorithm == "mod10" else "mod11")

    assert len(number) == length
    assert kid(number) == number


@given(digit_strings)
def test_kid_generators_output_validates(base: str) -> None:
    assert kid(kid_mod10(base)) == kid_mod10(base)
    assert kid(kid_mod11(base, allow_dash=True)) == kid_mod11(base, allow_dash=True)


@given(rngs, st.booleans())
def test_generated_swedish_personnummer_validates_in_every_form(rng: random.Random, samordning: bool) -> None:
    number = generate_swedish_personnummer(rng, samordningsnummer=samordning)
    ten_digit = f"{number[2:8]}-{number[8:]}"

    assert swedish_personnummer(number, today=TODAY) == number
    assert swedish_personnummer(ten_digit, today=TODAY) == number


def _party_ids() -> st.SearchStrategy[PartyId]:
    def make(kind: PartyIdKind, generate: Callable[[random.Random], str]) -> st.SearchStrategy[PartyId]:
        return rngs.map(lambda rng: PartyId(kind, generate(rng)))

    return st.one_of(
        make(PartyIdKind.NO_PERSON, generate_fodselsnummer),
        make(PartyIdKind.NO_PERSON, lambda rng: generate_fodselsnummer(rng, d_number=True, synthetic=True)),
        make(PartyIdKind.NO_ORGANISATION, generate_organisasjonsnummer),
        make(PartyIdKind.SE_PERSON, generate_swedish_personnummer),
        make(PartyIdKind.SE_ORGANISATION, generate_swedish_orgnr),
        make(PartyIdKind.PEPPOL, lambda rng: f"0192:{generate_organisasjonsnummer(rng)}"),
    )


@given(_party_ids())
def test_party_id_round_trips_through_str(party: PartyId) -> None:
    assert parse_party_id(str(party), allow_synthetic=True) == party


@given(rngs)
def test_bare_generated_numbers_are_classified(rng: random.Random) -> None:
    orgnr = generate_swedish_orgnr(rng)

    assert parse_party_id(generate_fodselsnummer(rng)).kind is PartyIdKind.NO_PERSON
    assert parse_party_id(generate_organisasjonsnummer(rng)).kind is PartyIdKind.NO_ORGANISATION
    assert parse_party_id(generate_swedish_personnummer(rng)).kind is PartyIdKind.SE_PERSON
    assert parse_party_id(f"{orgnr[:6]}-{orgnr[6:]}").kind is PartyIdKind.SE_ORGANISATION
    assert parse_party_id(f"se:{orgnr}").kind is PartyIdKind.SE_ORGANISATION
