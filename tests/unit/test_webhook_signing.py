"""Standard Webhooks signing, and the retry schedule behind at-least-once delivery."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from postbud.domain.events import EventType, ShipmentEvent
from postbud.jobs.backoff import minimum_total
from postbud.storage import schema
from postbud.storage.job_kinds import WEBHOOK_DELIVER
from postbud.storage.repos.events import Subscription, event_rows
from postbud.storage.writeset import WriteSet
from postbud.webhooks.deliver import MAX_ATTEMPTS
from postbud.webhooks.signing import InvalidWebhookSignature, new_secret, sign, signed_headers, verify

# The test vector published with the Standard Webhooks specification.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
SPEC_NOW = datetime.fromtimestamp(SPEC_TIMESTAMP, UTC)


def spec_headers(signature: str = SPEC_SIGNATURE) -> dict[str, str]:
    return {"webhook-id": SPEC_ID, "webhook-timestamp": str(SPEC_TIMESTAMP), "webhook-signature": signature}


def test_sign_matches_the_specification_vector() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE


def test_verify_accepts_the_specification_vector() -> None:
    verify(SPEC_SECRET, spec_headers(), SPEC_BODY, now=SPEC_NOW + timedelta(seconds=10))


def test_new_secret_is_prefixed_base64_of_24_random_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 24
    assert new_secret() != secret


def test_round_trip_with_a_new_secret_at_the_current_time() -> None:
    secret, body = new_secret(), '{"id":"æøå"}'.encode()
    now = datetime.now(UTC)
    verify(secret, signed_headers(secret, "d1", int(now.timestamp()), body), body)


@pytest.mark.parametrize(
    ("secret", "body", "headers"),
    [
        pytest.param(SPEC_SECRET, b'{"test": 2432232315}', spec_headers(), id="body-altered"),
        pytest.param(new_secret(), SPEC_BODY, spec_headers(), id="other-secret"),
        pytest.param(SPEC_SECRET, SPEC_BODY, {**spec_headers(), "webhook-id": "msg_other"}, id="id-altered"),
        pytest.param(
            SPEC_SECRET,
            SPEC_BODY,
            {**spec_headers(), "webhook-timestamp": str(SPEC_TIMESTAMP + 1)},
            id="timestamp-altered",
        ),
        pytest.param(SPEC_SECRET, SPEC_BODY, spec_headers("v2," + SPEC_SIGNATURE[3:]), id="unknown-version"),
        pytest.param(SPEC_SECRET, SPEC_BODY, spec_headers("v1,"), id="empty-signature"),
        pytest.param(SPEC_SECRET, SPEC_BODY, spec_headers(SPEC_SIGNATURE[3:]), id="no-version"),
        pytest.param(
            SPEC_SECRET, SPEC_BODY, {**spec_headers(), "webhook-timestamp": "yesterday"}, id="bad-timestamp"
        ),
    ],
)
def test_verify_rejects(secret: str, body: bytes, headers: dict[str, str]) -> None:
    with pytest.raises(InvalidWebhookSignature):
        verify(secret, headers, body, now=SPEC_NOW)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_verify_rejects_a_missing_header(missing: str) -> None:
    headers = spec_headers()
    del headers[missing]
    with pytest.raises(InvalidWebhookSignature, match=missing):
        verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_NOW)


@pytest.mark.parametrize("skew", [timedelta(minutes=-6), timedelta(minutes=6)], ids=["too-old", "too-new"])
def test_verify_rejects_a_timestamp_outside_the_tolerance(skew: timedelta) -> None:
    with pytest.raises(InvalidWebhookSignature, match="tolerance"):
        verify(SPEC_SECRET, spec_headers(), SPEC_BODY, now=SPEC_NOW + skew)


def test_verify_takes_a_custom_tolerance() -> None:
    later = SPEC_NOW + timedelta(minutes=30)
    verify(SPEC_SECRET, spec_headers(), SPEC_BODY, now=later, tolerance=timedelta(hours=1))


def test_verify_accepts_any_one_of_several_signatures() -> None:
    """While a secret is rotated, senders sign with both: one match is enough."""
    other = sign(new_secret(), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)
    headers = spec_headers(f"v2,abc {other} {SPEC_SIGNATURE}")
    verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_NOW)


def test_verify_reads_header_names_case_insensitively() -> None:
    headers = {name.title(): value for name, value in spec_headers().items()}
    verify(SPEC_SECRET, headers, SPEC_BODY, now=SPEC_NOW)


def test_a_malformed_secret_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="base64"):
        sign("whsec_not base64!", SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)


def test_delivery_jobs_retry_for_at_least_a_day() -> None:
    """Receivers may be down for a day; the delivery job must keep trying that long."""
    event = ShipmentEvent(
        id=uuid.uuid4(),
        shipment_id=uuid.uuid4(),
        sender_id=uuid.uuid4(),
        type=EventType.DELIVERED,
        at=datetime.now(UTC),
    )
    ws = WriteSet()
    event_rows(event, [Subscription(uuid.uuid4(), frozenset({"*"}))], ws)
    jobs = ws.rows[schema.jobs.name]
    assert [(job["kind"], job["max_attempts"]) for job in jobs] == [(WEBHOOK_DELIVER, MAX_ATTEMPTS)]
    # max_attempts runs means max_attempts - 1 retries after the first try.
    assert minimum_total(MAX_ATTEMPTS - 1) >= timedelta(hours=24)
