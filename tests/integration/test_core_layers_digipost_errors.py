"""Core rule codes reach a Digipost client as the catalogue's codes, through the real wire."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from lxml import etree

from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import MAILBOX_PERSON, a_pdf, client, error_code

__all__ = ["client"]


def _send_with_delivery_time(client: SignedClient, message_id: str, at: datetime) -> object:
    doc = str(uuid.uuid4())
    xml = (
        f'<message xmlns="{V8}"><message-id>{message_id}</message-id>'
        f"<recipient><personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
        f"</recipient><delivery-time>{at.isoformat()}</delivery-time>"
        f"<primary-document><uuid>{doc}</uuid><subject>Vedtak</subject><file-type>pdf</file-type>"
        "</primary-document></message>"
    )
    return client.send(xml, {doc: a_pdf()})


def test_a_delivery_time_in_the_past_is_delivery_date_historical_and_nothing_is_stored(
    client: SignedClient,
) -> None:
    message_id = str(uuid.uuid4())
    refused = _send_with_delivery_time(client, message_id, datetime.now(UTC) - timedelta(days=2))
    assert refused.status_code == 400, refused.text  # type: ignore[attr-defined]
    assert error_code(refused) == "DELIVERY_DATE_HISTORICAL"
    root = etree.fromstring(refused.content)  # type: ignore[attr-defined]
    assert root.findtext(f"{{{V8}}}error-type") == "CONFIGURATION"
    assert "publish_at" in (root.findtext(f"{{{V8}}}error-message") or "")

    # The same message id is free: the refused letter left nothing behind.
    later = _send_with_delivery_time(client, message_id, datetime.now(UTC) + timedelta(days=2))
    assert later.status_code == 201, later.text  # type: ignore[attr-defined]
