"""The Ekopost dialect's pure parts: the error catalogue and its mapping of every core rule, liberal
reading of bodies, booleans and dates, address objects, and the address read from a window."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from postbud.dialects.ekopost.addresses import parse_address
from postbud.dialects.ekopost.errors import (
    CATALOGUE,
    CONFLICT_CODES,
    PERMISSION_CODES,
    VALIDATION_CODES,
    EkopostError,
    from_domain,
)
from postbud.dialects.ekopost.render import address
from postbud.dialects.ekopost.states import CAMPAIGN_STATES, ENVELOPE_STATES
from postbud.dialects.ekopost.window_address import address_in
from postbud.dialects.ekopost.wire_in import boolean, date_time, parse_object
from postbud.domain.batches import BatchState
from postbud.domain.channels import Channel
from postbud.domain.errors import ConflictCode, NotFound, PermissionCode, RuleCode, ValidationFailed
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.status import ShipmentStatus

SEED_CODES = ["0", "100A", "100B", *(str(n) for n in range(101, 144))]


def test_the_catalogue_has_every_code_of_the_seed_and_no_other() -> None:
    assert list(CATALOGUE) == SEED_CODES


def test_every_core_rule_has_an_ekopost_code() -> None:
    assert set(VALIDATION_CODES) == set(RuleCode)
    assert set(CONFLICT_CODES) == set(ConflictCode)
    assert set(PERMISSION_CODES) == set(PermissionCode)
    assert all(code in CATALOGUE for code in [*VALIDATION_CODES.values(), *CONFLICT_CODES.values()])


def test_every_core_state_has_one_ekopost_state() -> None:
    assert set(CAMPAIGN_STATES) == set(BatchState)
    assert set(ENVELOPE_STATES) == set(ShipmentStatus)


def test_core_errors_map_by_rule_and_field_never_by_words() -> None:
    assert from_domain(ValidationFailed.of("documents", "whatever", RuleCode.REQUIRED)).code == "100A"
    assert from_domain(ValidationFailed.of("x", "whatever", RuleCode.NOT_UNIQUE)).code == "126"
    missing = from_domain(NotFound("batch", "abc"))
    assert (missing.code, missing.status) == ("106", 404)
    with pytest.raises(ValueError, match="not an Ekopost error code"):
        EkopostError("999", "no such code")


@pytest.mark.parametrize("raw", [b"", b"  ", b"[]", b"{}", b"null"])
def test_empty_bodies_are_empty_objects(raw: bytes) -> None:
    assert parse_object(raw) == {}


def test_unknown_keys_and_a_null_id_are_kept_out_of_the_way() -> None:
    assert parse_object(b'{"id": null, "name": "x", "whatever": 1}')["name"] == "x"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("False", False), ("1", True), (0, False), (None, False)],
)
def test_booleans_as_the_clients_send_them(value: object, expected: bool) -> None:
    assert boolean({"color": value}, "color") is expected


@pytest.mark.parametrize("value", ["maybe", 2, [True]])
def test_a_boolean_that_is_none(value: object) -> None:
    with pytest.raises(EkopostError) as caught:
        boolean({"color": value}, "color")
    assert caught.value.code == "127"
    assert "color" in caught.value.developer_message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-04", datetime(2026, 12, 4, tzinfo=UTC)),
        ("2026-12-04 10:00:00", datetime(2026, 12, 4, 10, tzinfo=UTC)),
        ("2026-12-04 10:00:03.944609+00:00", datetime(2026, 12, 4, 10, 0, 3, 944609, tzinfo=UTC)),
        ("2026-12-04 10:00:03.944609", datetime(2026, 12, 4, 10, 0, 3, 944609, tzinfo=UTC)),
        ("2026-12-04T11:00:00+01:00", datetime(2026, 12, 4, 10, tzinfo=UTC)),
        ("2026-12-04T10:00:00Z", datetime(2026, 12, 4, 10, tzinfo=UTC)),
    ],
)
def test_dates_in_the_four_forms(text: str, expected: datetime) -> None:
    assert date_time(text, "output_date") == expected


def test_dollar_type_is_read_anywhere_and_written_first() -> None:
    parsed = parse_address({"recipient": "15108695088", "$type": "einbox", "subject": "Hei"}, rek=False)
    assert parsed.channels == (Channel.DIGITAL_MAILBOX,)
    assert next(iter(address({"recipient": "x", "$type": "einbox"}))) == "$type"
    kivra = parse_address({"$type": "einboxKivra", "recipient": "198212172111"}, rek=False)
    assert kivra.providers == (MailboxProvider.KIVRA,)


def test_a_null_address_is_postal_read_from_the_window() -> None:
    parsed = parse_address(None, rek=False)
    assert parsed.is_postal
    assert parsed.postal is None
    assert parsed.channels == ()


@pytest.mark.parametrize(
    ("window", "code", "city", "country"),
    [
        ("Tolvan Tolvansson\nStorgatan 1\n123 45 Stockholm", "123 45", "Stockholm", ""),
        ("AB Företag\nc/o Kalle\nBox 12\nSE-11122 Stockholm\nSverige", "11122", "Stockholm", "SE"),
        ("Kari Nordmann\nStorgata 1\n0155 Oslo\nNORGE", "0155", "Oslo", "NO"),
    ],
)
def test_the_address_in_a_window(window: str, code: str, city: str, country: str) -> None:
    found = address_in(window)
    assert found is not None
    assert (found.postal_code, found.city, found.country) == (code, city, country)


@pytest.mark.parametrize("window", ["", "Bara ett namn", "12345 Stockholm", "A" * 101 + "\n12345 Stad"])
def test_no_address_in_a_window(window: str) -> None:
    assert address_in(window) is None
