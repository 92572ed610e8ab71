"""Issue 11 D1: a verifiable-credential-notice as the official Java client 18.0.1 sends it.

That client ships digipost-data-types 1.3.0, whose notice carries ``credential-id`` (required there),
``valid-from`` and ``valid-until`` before ``title`` and ``description``; data-types 1.8.0 dropped the
three. Postbud refused the first form ("unexpected"); it now takes both, and gives back what it got.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from importlib.resources import files

import pytest
import xmlschema
from lxml import etree

from postbud.dialects.digipost.datatypes_xml import (
    DATATYPES_NAMESPACE,
    datatypes_schema,
    parse_datatype_xml,
    render_datatype,
)
from postbud.domain.datatypes import (
    DataTypeInvalid,
    VerifiableCredentialNotice,
    datatype_from_dict,
    datatype_to_dict,
)

NS = DATATYPES_NAMESPACE
XSD = files("postbud.dialects.digipost.schema").joinpath("datatypes.xsd").read_text()
WITH_ID = (
    f'<verifiable-credential-notice xmlns="{NS}">'
    "<credential-id>FK-2026-0042</credential-id>"
    "<valid-from>2026-01-01T00:00:00+01:00</valid-from>"
    "<valid-until>2030-12-31T23:59:00+01:00</valid-until>"
    "<title>Førerkort</title>"
    "<description>Klasse B, legg det i lommeboka</description>"
    "</verifiable-credential-notice>"
)
WITHOUT_ID = (
    f'<verifiable-credential-notice xmlns="{NS}"><title>Førerkort</title></verifiable-credential-notice>'
)


def test_the_java_client_s_notice_is_read_with_its_id_and_validity() -> None:
    notice = parse_datatype_xml(WITH_ID.encode())
    assert notice == VerifiableCredentialNotice(
        credential_id="FK-2026-0042",
        valid_from=datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        valid_until=datetime(2030, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=1))),
        title="Førerkort",
        description="Klasse B, legg det i lommeboka",
    )


@pytest.mark.parametrize("xml", [WITH_ID, WITHOUT_ID], ids=["data-types-1.3", "data-types-1.8"])
def test_it_renders_back_byte_for_byte_and_validates(xml: str) -> None:
    rendered = render_datatype(parse_datatype_xml(xml.encode()))
    assert etree.tostring(rendered, encoding="unicode") == xml
    assert datatypes_schema().validate(rendered)
    assert xmlschema.XMLSchema10(XSD).is_valid(etree.tostring(rendered, encoding="unicode"))


def test_it_is_stored_under_core_names_and_read_back_equal() -> None:
    notice = parse_datatype_xml(WITH_ID.encode())
    stored = json.loads(json.dumps(datatype_to_dict(notice)))
    assert stored["credential_id"] == "FK-2026-0042"
    assert stored["valid_from"] == "2026-01-01T00:00:00+01:00"
    assert datatype_from_dict("verifiable-credential-notice", stored) == notice


def test_the_fields_keep_digipost_s_order_and_types() -> None:
    out_of_order = WITH_ID.replace("<credential-id>FK-2026-0042</credential-id>", "").replace(
        "<title>", "<credential-id>FK-2026-0042</credential-id><title>"
    )
    with pytest.raises(DataTypeInvalid):
        parse_datatype_xml(out_of_order.encode())
    with pytest.raises(DataTypeInvalid) as caught:
        parse_datatype_xml(WITH_ID.replace("2030-12-31T23:59:00+01:00", "snart").encode())
    assert ("verifiable-credential-notice/valid-until", "type=dateTime") in caught.value.errors
