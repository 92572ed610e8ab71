"""Examples for every identifier validator, including every verified number in peers.md section G."""

from __future__ import annotations

import datetime as dt
import pickle
import random

import pytest
from stdnum.no import fodselsnummer as stdnum_fodselsnummer

from postbud.domain.identifiers import (
    InvalidIdentifier,
    PartyId,
    PartyIdKind,
    bankgiro,
    e164_phone,
    email_address,
    fodselsnummer,
    generate_fodselsnummer,
    generate_kid,
    generate_norwegian_account,
    generate_organisasjonsnummer,
    generate_swedish_orgnr,
    generate_swedish_personnummer,
    gln,
    iban,
    kid,
    kid_mod10,
    kid_mod11,
    norwegian_account,
    ocr_reference,
    organisasjonsnummer,
    parse_party_id,
    plusgiro,
    swedish_orgnr,
    swedish_personnummer,
)


def rule_of(excinfo: pytest.ExceptionInfo[InvalidIdentifier]) -> str:
    return excinfo.value.rule


# --- the error -------------------------------------------------------------------------------------


def test_invalid_identifier_names_kind_value_and_rule() -> None:
    error = InvalidIdentifier("kid", "12345", "check digit matches neither MOD10 (Luhn) nor MOD11")

    assert isinstance(error, ValueError)
    assert (error.kind, error.value, error.rule) == (
        "kid",
        "12345",
        "check digit matches neither MOD10 (Luhn) nor MOD11",
    )
    assert str(error) == "invalid kid '12345': check digit matches neither MOD10 (Luhn) nor MOD11"


def test_invalid_identifier_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(InvalidIdentifier("gln", "1", "must be 13 digits, got 1")))

    assert str(error) == "invalid gln '1': must be 13 digits, got 1"


def test_validators_raise_with_the_input_as_given() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        fodselsnummer(" 151086 95077 ")

    assert excinfo.value.kind == "fodselsnummer"
    assert excinfo.value.value == " 151086 95077 "


# --- fødselsnummer (G.3, F.1) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15108695088", "15108695088"),
        ("31129956715", "31129956715"),
        ("151086 95088", "15108695088"),
        ("151086.95088", "15108695088"),
        ("151086-95088", "15108695088"),
    ],
)
def test_fodselsnummer_accepts_verified_numbers_and_compacts(value: str, expected: str) -> None:
    assert fodselsnummer(value) == expected


def test_fodselsnummer_rejects_verified_invalid_number_naming_k1() -> None:
    with pytest.raises(InvalidIdentifier, match="K1") as excinfo:
        fodselsnummer("15108695077")

    assert rule_of(excinfo) == "check digit K1 does not match (MOD11, remainder must be 0–3)"


def test_fodselsnummer_rejects_wrong_k2() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        fodselsnummer("15108695089")

    assert rule_of(excinfo) == "check digit K2 does not match (MOD11)"


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("1510869508", "must be 11 digits, got 10"),
        ("151086950888", "must be 11 digits, got 12"),
        ("1510869508X", "may contain only digits (plus spaces and '.' and '-')"),
        ("", "must be 11 digits, got 0"),
    ],
)
def test_fodselsnummer_format_rules(value: str, rule: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        fodselsnummer(value)

    assert rule_of(excinfo) == rule


def test_d_number_has_day_plus_40() -> None:
    assert fodselsnummer("55108695071") == "55108695071"
    assert stdnum_fodselsnummer.is_valid("55108695071")


def test_h_number_has_month_plus_40() -> None:
    assert fodselsnummer("15508695060") == "15508695060"
    assert stdnum_fodselsnummer.is_valid("15508695060")


@pytest.mark.parametrize("value", ["80108695009", "90108695241"])
def test_fh_number_is_accepted_without_a_date(value: str) -> None:
    assert fodselsnummer(value) == value


def test_fh_number_still_needs_its_check_digits() -> None:
    with pytest.raises(InvalidIdentifier, match="K2"):
        fodselsnummer("80108695008")


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("31028695015", "birth date 31.02.86 is not a real calendar date"),
        ("01138695030", "birth date 01.13.86 is not a real calendar date"),
        ("15008695110", "birth date 15.00.86 is not a real calendar date"),
        ("40018612331", "D-number birth date (day − 40) 00.01.86 is not a real calendar date"),
        ("71028695009", "D-number birth date (day − 40) 31.02.86 is not a real calendar date"),
        ("31428695189", "H-number birth date (month − 40) 31.02.86 is not a real calendar date"),
        ("29020112482", "birth date 29.02.01 is not a real calendar date"),
    ],
)
def test_fodselsnummer_date_rules(value: str, rule: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        fodselsnummer(value)

    assert rule_of(excinfo) == rule


def test_last_day_of_month_as_d_number_is_accepted() -> None:
    assert fodselsnummer("71128612321") == "71128612321"


def test_29_february_00_is_accepted_because_2000_was_a_leap_year() -> None:
    assert fodselsnummer("29020012380") == "29020012380"


def test_synthetic_tenor_number_is_refused_by_default() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        fodselsnummer("15908695043")

    assert "synthetic (Tenor)" in rule_of(excinfo)
    assert "month + 80" in rule_of(excinfo)


@pytest.mark.parametrize("value", ["15908695043", "55908695037"])
def test_synthetic_tenor_number_and_synthetic_d_number_are_accepted_when_allowed(value: str) -> None:
    assert fodselsnummer(value, allow_synthetic=True) == value


def test_synthetic_number_date_is_still_checked() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        fodselsnummer("15938695013", allow_synthetic=True)

    assert rule_of(excinfo) == "synthetic birth date (month − 80) 15.13.86 is not a real calendar date"


@pytest.mark.parametrize(
    ("value", "remainder"),
    [("31129956723", 1), ("01015012303", 2), ("15108695002", 3)],
)
def test_2032_rule_accepts_k1_remainders_1_to_3(value: str, remainder: int) -> None:
    weights = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
    assert sum(w * int(d) for w, d in zip(weights, value, strict=False)) % 11 == remainder
    assert not stdnum_fodselsnummer.is_valid(value)  # the pre-2032 rule would refuse it

    assert fodselsnummer(value) == value


def test_2032_rule_still_refuses_k1_remainder_4() -> None:
    with pytest.raises(InvalidIdentifier, match="K1"):
        fodselsnummer("15108695010")


# --- organisasjonsnummer (G.4) -------------------------------------------------------------------


def test_organisasjonsnummer_verified_examples() -> None:
    assert organisasjonsnummer("988 077 917") == "988077917"
    assert organisasjonsnummer("988077917") == "988077917"

    with pytest.raises(InvalidIdentifier) as excinfo:
        organisasjonsnummer("988 077 918")

    assert excinfo.value.kind == "organisasjonsnummer"
    assert rule_of(excinfo) == "check digit does not match (MOD11)"


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("98807791", "must be 9 digits, got 8"),
        ("NO988077917MVA", "may contain only digits (plus spaces)"),
        ("988.077.917", "may contain only digits (plus spaces)"),
    ],
)
def test_organisasjonsnummer_format_rules(value: str, rule: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        organisasjonsnummer(value)

    assert rule_of(excinfo) == rule


# --- kontonummer (G.5) ---------------------------------------------------------------------------


def test_norwegian_account_verified_examples() -> None:
    assert norwegian_account("8601.11.17947") == "86011117947"
    assert norwegian_account("8601 11 17947") == "86011117947"

    with pytest.raises(InvalidIdentifier) as excinfo:
        norwegian_account("8601.11.17949")

    assert rule_of(excinfo) == "check digit does not match (MOD11)"


def test_norwegian_account_old_postgiro_uses_luhn() -> None:
    assert norwegian_account("0000.12.34566") == "00001234566"

    with pytest.raises(InvalidIdentifier) as excinfo:
        norwegian_account("0000.12.34567")

    assert rule_of(excinfo) == "check digit does not match (Luhn, postgiro bank code 0000)"


def test_norwegian_account_must_have_11_digits() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        norwegian_account("1234566")

    assert rule_of(excinfo) == "must be 11 digits, got 7"


# --- KID (G.2) -----------------------------------------------------------------------------------


def test_kid_verified_generator_examples() -> None:
    assert kid_mod10("1234") == "12344"
    assert kid_mod11("1234") == "12343"
    assert kid_mod11("12345670112345") == "123456701123458"


@pytest.mark.parametrize("value", ["12344", "12343", "123456701123458", "1234 4"])
def test_kid_accepts_mod10_or_mod11(value: str) -> None:
    assert kid(value) == value.replace(" ", "")


def test_kid_mod11_with_dash() -> None:
    assert kid_mod11("6", allow_dash=True) == "6-"
    assert kid("6-") == "6-"

    with pytest.raises(InvalidIdentifier) as excinfo:
        kid_mod11("6")

    assert excinfo.value.kind == "KID base"
    assert rule_of(excinfo) == "MOD11 remainder 1 would need '-' as check character"


def test_kid_dash_must_be_the_right_check() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        kid("12-")

    assert rule_of(excinfo) == "check character '-' does not match (MOD11)"


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("12345", "check digit matches neither MOD10 (Luhn) nor MOD11"),
        ("1", "must be 2–25 characters, got 1"),
        ("1" * 26, "must be 2–25 characters, got 26"),
        ("12-4", "may contain only digits, with '-' allowed as the MOD11 check"),
        ("ab", "may contain only digits, with '-' allowed as the MOD11 check"),
    ],
)
def test_kid_rules(value: str, rule: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        kid(value)

    assert excinfo.value.kind == "kid"
    assert rule_of(excinfo) == rule


def test_kid_generators_respect_the_25_character_limit() -> None:
    assert len(kid_mod10("1" * 24)) == 25

    with pytest.raises(InvalidIdentifier) as excinfo:
        kid_mod10("1" * 25)

    assert rule_of(excinfo) == "must be 1–24 digits, got 25"


# --- Swedish personnummer and samordningsnummer (G.6) --------------------------------------------

TODAY = dt.date(2026, 6, 1)


def test_swedish_personnummer_verified_examples() -> None:
    assert swedish_personnummer("880320-0016", today=TODAY) == "198803200016"

    with pytest.raises(InvalidIdentifier) as excinfo:
        swedish_personnummer("880320-0018", today=TODAY)

    assert excinfo.value.kind == "personnummer"
    assert rule_of(excinfo) == "check digit does not match (Luhn over the 10-digit form)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8803200016", "198803200016"),
        ("198803200016", "198803200016"),
        ("19880320-0016", "198803200016"),
        ("880320+0016", "188803200016"),
    ],
)
def test_swedish_personnummer_forms(value: str, expected: str) -> None:
    assert swedish_personnummer(value, today=TODAY) == expected


def test_swedish_personnummer_century_follows_today() -> None:
    assert swedish_personnummer("880320-0016", today=dt.date(2087, 12, 31)) == "198803200016"
    assert swedish_personnummer("880320-0016", today=dt.date(2088, 1, 1)) == "208803200016"


def test_samordningsnummer_has_day_plus_60() -> None:
    assert swedish_personnummer("880380-0013", today=TODAY) == "198803800013"


def test_samordningsnummer_date_is_checked() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        swedish_personnummer("880392-0019", today=TODAY)

    assert (
        rule_of(excinfo) == "samordningsnummer birth date (day − 60) 1988-03-32 is not a real calendar date"
    )


def test_swedish_personnummer_date_is_checked() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        swedish_personnummer("880230-0015", today=TODAY)

    assert rule_of(excinfo) == "birth date 1988-02-30 is not a real calendar date"


@pytest.mark.parametrize("value", ["88032-0016", "880320/0016", "1988032000161"])
def test_swedish_personnummer_format(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        swedish_personnummer(value, today=TODAY)

    assert rule_of(excinfo) == "must be YYMMDD-NNNC, YYMMDD+NNNC or 12 digits YYYYMMDDNNNC"


# --- Swedish organisationsnummer (G.7) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [("123456-7897", "1234567897"), ("556840-2266", "5568402266")]
)
def test_swedish_orgnr_verified_examples(value: str, expected: str) -> None:
    assert swedish_orgnr(value) == expected


def test_swedish_orgnr_rules() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        swedish_orgnr("556840-2267")
    assert rule_of(excinfo) == "check digit does not match (Luhn)"

    with pytest.raises(InvalidIdentifier) as excinfo:
        swedish_orgnr("55684022")
    assert rule_of(excinfo) == "must be 10 digits, got 8"


# --- Swedish OCR, Bankgiro, PlusGiro (G.8, G.9) --------------------------------------------------


def test_ocr_reference_verified_length_digit_example() -> None:
    assert ocr_reference("1234574", length_digit=True) == "1234574"
    assert ocr_reference("1234574") == "1234574"


def test_ocr_reference_rules() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        ocr_reference("1234575")
    assert rule_of(excinfo) == "check digit does not match (Luhn)"

    with pytest.raises(InvalidIdentifier) as excinfo:
        ocr_reference("1234582", length_digit=True)
    assert rule_of(excinfo) == "length digit 8 does not match the length 7 (mod 10)"

    with pytest.raises(InvalidIdentifier) as excinfo:
        ocr_reference("1" * 26)
    assert rule_of(excinfo) == "must be 2–25 digits, got 26"


def test_bankgiro_verified_example_and_rules() -> None:
    assert bankgiro("5050-1055") == "50501055"

    with pytest.raises(InvalidIdentifier) as excinfo:
        bankgiro("5050-1056")
    assert excinfo.value.kind == "bankgiro number"
    assert rule_of(excinfo) == "check digit does not match (Luhn)"

    with pytest.raises(InvalidIdentifier) as excinfo:
        bankgiro("50-1055")
    assert rule_of(excinfo) == "must be 7–8 digits, got 6"


def test_plusgiro() -> None:
    assert plusgiro("90 20 01-7") == "9020017"

    with pytest.raises(InvalidIdentifier) as excinfo:
        plusgiro("90 20 01-8")
    assert rule_of(excinfo) == "check digit does not match (Luhn)"


# --- IBAN (G.10) and GLN --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("NO93 8601 1117 947", "NO9386011117947"),
        ("SE35 5000 0000 0549 1000 0003", "SE3550000000054910000003"),
        ("GR16 0110 1050 0000 1054 7023 795", "GR1601101050000010547023795"),
        ("no93 8601 1117 947", "NO9386011117947"),
    ],
)
def test_iban_verified_examples(value: str, expected: str) -> None:
    assert iban(value) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("NO94 8601 1117 947", "check digits do not match (ISO 7064 MOD 97-10)"),
        ("NO39 8601 1117 949", "the national account number's check digit does not match"),
        ("NO10 8601 1117 9", "does not match the NO account structure"),
        ("XX36 1234 5678 90", "unknown IBAN country XX"),
        ("8601 1117 947", "must be a country code, two check digits and up to 30 letters or digits"),
    ],
)
def test_iban_rules(value: str, rule: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        iban(value)

    assert rule_of(excinfo) == rule


def test_gln() -> None:
    assert gln("7080003348883") == "7080003348883"

    with pytest.raises(InvalidIdentifier) as excinfo:
        gln("7080003348881")
    assert rule_of(excinfo) == "check digit does not match (GS1 MOD10)"

    with pytest.raises(InvalidIdentifier) as excinfo:
        gln("708000334888")
    assert rule_of(excinfo) == "must be 13 digits, got 12"


# --- e-mail and phone -----------------------------------------------------------------------------


def test_email_address_is_normalised() -> None:
    assert email_address(" Ola.Nordmann@Example.NO ") == "Ola.Nordmann@example.no"


def test_email_address_rule_comes_from_email_validator() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        email_address("ola@@example.no")

    assert excinfo.value.kind == "email address"
    assert "after the @-sign" in rule_of(excinfo)


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("91234567", "NO", "+4791234567"),
        ("912 34 567", "NO", "+4791234567"),
        ("+47 912 34 567", "NO", "+4791234567"),
        ("0047 91234567", "NO", "+4791234567"),
        ("011 1 650 253 0000", "NO", "+16502530000"),
        ("+46 70 123 45 67", "NO", "+46701234567"),
        ("070-123 45 67", "SE", "+46701234567"),
    ],
)
def test_e164_phone(value: str, region: str, expected: str) -> None:
    assert e164_phone(value, default_region=region) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("12345678", "is not a valid number in its country's numbering plan"),
        ("ring meg", "is not a phone number"),
        ("+999 1234", "the country calling code is missing or unknown"),
    ],
)
def test_e164_phone_rejects(value: str, rule: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        e164_phone(value)

    assert excinfo.value.kind == "phone number"
    assert rule_of(excinfo) == rule


# --- party identifiers ----------------------------------------------------------------------------


def test_party_id_kind_values_are_the_prefixes() -> None:
    assert [k.value for k in PartyIdKind] == [
        "no-person",
        "no-org",
        "se-person",
        "se-org",
        "gln",
        "peppol",
        "digipost",
        "email",
    ]
    assert str(PartyId(PartyIdKind.NO_ORGANISATION, "988077917")) == "no-org:988077917"


PARTY_IDS = [
    ("15108695088", PartyIdKind.NO_PERSON, "15108695088"),
    ("151086 95088", PartyIdKind.NO_PERSON, "15108695088"),
    ("urn:altinn:person:identifier-no:15108695088", PartyIdKind.NO_PERSON, "15108695088"),
    ("no-person:55108695071", PartyIdKind.NO_PERSON, "55108695071"),
    ("988077917", PartyIdKind.NO_ORGANISATION, "988077917"),
    ("988 077 917", PartyIdKind.NO_ORGANISATION, "988077917"),
    ("0192:988077917", PartyIdKind.NO_ORGANISATION, "988077917"),
    ("urn:altinn:organization:identifier-no:988077917", PartyIdKind.NO_ORGANISATION, "988077917"),
    ("URN:ALTINN:ORGANIZATION:IDENTIFIER-NO:988077917", PartyIdKind.NO_ORGANISATION, "988077917"),
    ("no-org:988077917", PartyIdKind.NO_ORGANISATION, "988077917"),
    ("198803200016", PartyIdKind.SE_PERSON, "198803200016"),
    ("19880320-0016", PartyIdKind.SE_PERSON, "198803200016"),
    ("880320-0016", PartyIdKind.SE_PERSON, "198803200016"),
    ("880380-0013", PartyIdKind.SE_PERSON, "198803800013"),
    ("se:8803200016", PartyIdKind.SE_PERSON, "198803200016"),
    ("556840-2266", PartyIdKind.SE_ORGANISATION, "5568402266"),
    ("se:5568402266", PartyIdKind.SE_ORGANISATION, "5568402266"),
    ("se-org:1234567897", PartyIdKind.SE_ORGANISATION, "1234567897"),
    ("7080003348883", PartyIdKind.GLN, "7080003348883"),
    ("gln:7080003348883", PartyIdKind.GLN, "7080003348883"),
    ("iso6523-actorid-upis::0192:923609016", PartyIdKind.PEPPOL, "0192:923609016"),
    ("peppol:0192:923609016", PartyIdKind.PEPPOL, "0192:923609016"),
    ("0007:5568402266", PartyIdKind.PEPPOL, "0007:5568402266"),
    ("0088:7080003348883", PartyIdKind.PEPPOL, "0088:7080003348883"),
    ("9915:ABC123", PartyIdKind.PEPPOL, "9915:abc123"),
    ("ola.nordmann#1234", PartyIdKind.DIGIPOST_ADDRESS, "ola.nordmann#1234"),
    ("Ola.Nordmann#3244B", PartyIdKind.DIGIPOST_ADDRESS, "Ola.Nordmann#3244B"),
    (
        "digipost:azdixsdfsdffsdfncixtvpwdp#6QE6",
        PartyIdKind.DIGIPOST_ADDRESS,
        "azdixsdfsdffsdfncixtvpwdp#6QE6",
    ),
    ("Ola@Example.NO", PartyIdKind.EMAIL, "Ola@example.no"),
    ("email:ola@example.no", PartyIdKind.EMAIL, "ola@example.no"),
]


@pytest.mark.parametrize(("raw", "kind", "value"), PARTY_IDS)
def test_parse_party_id(raw: str, kind: PartyIdKind, value: str) -> None:
    assert parse_party_id(raw) == PartyId(kind, value)


@pytest.mark.parametrize(("raw", "kind", "value"), PARTY_IDS)
def test_parse_party_id_round_trips_through_str(raw: str, kind: PartyIdKind, value: str) -> None:
    party = parse_party_id(raw)

    assert parse_party_id(str(party)) == party
    assert str(party) == f"{kind.value}:{value}"


def test_parse_party_id_passes_allow_synthetic_on() -> None:
    with pytest.raises(InvalidIdentifier, match="synthetic"):
        parse_party_id("15908695043")

    party = parse_party_id("15908695043", allow_synthetic=True)
    assert party == PartyId(PartyIdKind.NO_PERSON, "15908695043")
    assert parse_party_id(str(party), allow_synthetic=True) == party


def test_parse_party_id_reports_the_inner_rule_for_a_recognised_form() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_party_id("988077918")

    assert excinfo.value.kind == "organisasjonsnummer"


def test_parse_party_id_swedish_person_error_wins_when_third_digit_is_below_2() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_party_id("880320-0018")

    assert excinfo.value.kind == "personnummer"


def test_parse_party_id_invalid_peppol_value_for_known_scheme() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_party_id("peppol:0192:923609017")

    assert excinfo.value.kind == "organisasjonsnummer"


@pytest.mark.parametrize(
    ("raw", "rule_part"),
    [
        ("5568402266", "prefix 'se:'"),
        ("12345", "not a recognised form"),
        ("", "not a recognised form"),
        ("dk-person:0101501234", "not a recognised form"),
        ("ola.nordmann", "not a recognised form"),
    ],
)
def test_parse_party_id_rejects_unrecognised_forms(raw: str, rule_part: str) -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_party_id(raw)

    assert excinfo.value.kind == "party identifier"
    assert rule_part in rule_of(excinfo)


def test_parse_party_id_rejects_malformed_explicit_forms() -> None:
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_party_id("peppol:923609016")
    assert excinfo.value.kind == "Peppol participant id"

    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_party_id("digipost:ola nordmann#12")
    assert excinfo.value.kind == "Digipost address"


# --- generators -----------------------------------------------------------------------------------


def test_generators_are_deterministic_for_a_seed() -> None:
    def batch(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [
            generate_fodselsnummer(rng),
            generate_organisasjonsnummer(rng),
            generate_norwegian_account(rng),
            generate_swedish_personnummer(rng),
            generate_swedish_orgnr(rng),
            generate_kid(rng),
        ]

    assert batch(7) == batch(7)


def test_generate_fodselsnummer_for_a_given_birth_date() -> None:
    rng = random.Random(3)

    number = generate_fodselsnummer(rng, birth_date=dt.date(2001, 9, 11))
    assert number.startswith("110901")
    assert 500 <= int(number[6:9]) <= 999

    d_number = generate_fodselsnummer(rng, birth_date=dt.date(1950, 1, 5), d_number=True, synthetic=True)
    assert d_number.startswith("458150")
    assert fodselsnummer(d_number, allow_synthetic=True) == d_number


def test_generate_fodselsnummer_refuses_years_without_a_series() -> None:
    with pytest.raises(ValueError, match="1853"):
        generate_fodselsnummer(random.Random(0), birth_date=dt.date(1853, 1, 1))


def test_generate_kid_refuses_bad_length() -> None:
    with pytest.raises(ValueError, match="2–25"):
        generate_kid(random.Random(0), length=26)
