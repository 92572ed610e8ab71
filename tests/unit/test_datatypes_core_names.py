"""The domain's datatypes know only core names; Digipost's spellings are the dialect's table.

Before issue 8's last step every model carried its Digipost element name as a pydantic alias and
accepted either spelling, so a wire name could reach stored JSON and the core read it back.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

import postbud.domain.datatypes as datatypes
from postbud.dialects.digipost.datatype_wire_names import WIRE_NAMES, wire_name
from postbud.dialects.digipost.datatypes_xml import wire_errors
from postbud.domain.datatypes import DataTypeInvalid, datatype_from_dict, datatype_to_dict
from postbud.services.sandbox.sample_letters import example_datatypes

MODELS = [
    obj
    for name in datatypes.__all__
    if inspect.isclass(obj := getattr(datatypes, name)) and issubclass(obj, BaseModel)
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_no_domain_field_carries_a_wire_alias(model: type[BaseModel]) -> None:
    assert {name: info.alias for name, info in model.model_fields.items() if info.alias} == {}


def test_every_wire_name_renames_a_field_the_model_has() -> None:
    for model, names in WIRE_NAMES.items():
        for core, wire in names.items():
            assert core in model.model_fields, (model.__name__, core)
            assert wire != core, (model.__name__, core)


def test_a_wire_name_is_not_accepted_as_a_core_field() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        datatype_from_dict("appointment", {"start-time": "2026-01-01T10:00:00Z"})
    assert ("appointment/start_time", "required") in caught.value.errors
    assert ("appointment/start-time", "unexpected") in caught.value.errors


def test_event_intervals_have_a_core_name_and_digipost_s_odd_one() -> None:
    assert wire_name(datatypes.Event, "time_intervals") == "start-time"
    assert wire_name(datatypes.TimeInterval, "start_time") == "start-time"
    assert wire_name(datatypes.Event, "place") == "place"


def test_domain_errors_read_in_digipost_s_words() -> None:
    errors = [
        ("event/time_intervals[2]/end_time", "required"),
        ("proof/valid_period/period", "requiredOneOf=from_time|to_time"),
        ("proof/valid_period", "requiredOneOf=period|yearly_repeating_period"),
        ("receipt/payments[1]/payment_type", "maxLength=3"),
        ("invoice/creditor_account", "pattern=[0-9]{11}"),
        ("nope/x", "unknown-datatype"),
    ]
    assert wire_errors(errors) == [
        ("event/start-time[2]/end-time", "required"),
        ("proof/valid-period/period", "requiredOneOf=from|to"),
        ("proof/valid-period", "requiredOneOf=period|yearly-repeating-period"),
        ("receipt/payments[1]/type", "maxLength=3"),
        ("invoice/creditor-account", "pattern=[0-9]{11}"),
        ("nope/x", "unknown-datatype"),
    ]


def test_sample_letters_are_written_in_core_names() -> None:
    # The models forbid unknown keys, so a wire name left in a sample fails here.
    for kind, example in example_datatypes(datetime(2026, 12, 5, tzinfo=UTC)).items():
        stored = datatype_to_dict(datatype_from_dict(kind, example))
        assert datatype_from_dict(kind, stored) == datatype_from_dict(kind, example)
