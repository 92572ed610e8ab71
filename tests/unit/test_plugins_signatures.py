"""The pieces of webhook signing and credential hashing, checked against the specs by hand."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from postbud.crypto.passwords import hash_password, verify_password
from postbud.webhooks import cloudevents, hmac_sha1


def test_ekopost_signature_is_the_lower_case_hex_hmac_sha1_keyed_by_the_secret_text() -> None:
    secret, body = "c2VjcmV0IHRleHQ", b'{"campaign_id":"1"}'
    expected = hmac.new(b"c2VjcmV0IHRleHQ", body, hashlib.sha1).hexdigest()
    assert hmac_sha1.sign(secret, body) == expected
    assert hmac_sha1.is_valid(secret, body, expected.upper())
    assert not hmac_sha1.is_valid(secret, body + b" ", expected)
    assert len(hmac_sha1.new_secret()) == 64


def test_a_cloud_event_has_the_required_attributes_and_json_data() -> None:
    event = cloudevents.cloud_event(
        id="1",
        source="https://postbud.example/x",
        type="no.postbud.shipment.created",
        time=datetime(2026, 12, 4, 12, 0, tzinfo=UTC),
        subject="s",
        data={"a": 1},
        resourceinstance="abc",
    )
    assert event == {
        "specversion": "1.0",
        "id": "1",
        "source": "https://postbud.example/x",
        "type": "no.postbud.shipment.created",
        "time": "2026-12-04T12:00:00+00:00",
        "subject": "s",
        "resourceinstance": "abc",
        "datacontenttype": "application/json",
        "data": {"a": 1},
    }
    without_data = cloudevents.cloud_event(id="1", source="/s", type="t")
    assert "data" not in without_data
    assert "datacontenttype" not in without_data


@pytest.mark.parametrize(
    "event",
    [
        {"specversion": "1.0", "source": "/s", "type": "t"},
        {"specversion": "0.3", "id": "1", "source": "/s", "type": "t"},
        {"specversion": "1.0", "id": "", "source": "/s", "type": "t"},
        {"specversion": "1.0", "id": "1", "source": "/s", "type": "t", "resource_instance": "x"},
        {"specversion": "1.0", "id": "1", "source": "/s", "type": "t", "Subject": "x"},
    ],
)
def test_what_is_not_a_cloud_event(event: dict[str, str]) -> None:
    with pytest.raises(cloudevents.InvalidCloudEvent):
        cloudevents.checked(event)


def test_a_password_hash_verifies_only_its_password_and_names_its_parameters() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$14$8$1$")
    assert "correct horse" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert hash_password("correct horse battery") != stored  # salted
    for broken in ("", "scrypt$14$8$1$!!$!!", "bcrypt$x", stored.replace("scrypt", "md5")):
        assert not verify_password("correct horse battery", broken)
