"""The timeline's link to a captured message (``console/_capture_link.html``): shown for an event that
captured an e-mail or SMS, and for no other event."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.domain.events import EventType, ShipmentEvent
from postbud.web.console import paths
from postbud.web.i18n import Translator
from postbud.web.mount import build_web_context

EVENT_ID = uuid.UUID("01a243c5-a867-7146-adc2-a042b21b324f")


def _never() -> object:
    raise AssertionError("no runtime is needed to render a template")


def _render(tmp_path: Path, channel: Channel | None, data: dict[str, object]) -> str:
    pages = build_web_context(Settings(data_dir=tmp_path), _never).pages  # type: ignore[arg-type]
    event = ShipmentEvent(
        id=EVENT_ID,
        shipment_id=uuid.uuid4(),
        sender_id=uuid.uuid4(),
        type=EventType.DELIVERED,
        at=datetime(2026, 12, 5, tzinfo=UTC),
        channel=channel,
        data=data,
    )
    template = pages.env.get_template("console/_capture_link.html")
    return template.render(event=event, paths=paths, t=Translator(pages.catalogue, "en"))


def test_a_captured_email_and_sms_link_to_their_page(tmp_path: Path) -> None:
    email = _render(tmp_path, Channel.EMAIL, {"captured": True, "eml_sha256": "ab" * 32})
    assert f'href="/console/captures/{EVENT_ID}"' in email
    assert "Show captured e-mail" in email
    sms = _render(tmp_path, Channel.SMS, {"captured": True, "sms_sha256": "cd" * 32})
    assert "Show captured SMS" in sms


@pytest.mark.parametrize(
    ("channel", "data"),
    [
        (Channel.EMAIL, {"captured": False, "to": "ola@example.no"}),  # sent by SMTP
        (Channel.EINVOICE, {"captured": True}),
        (Channel.DIGITAL_MAILBOX, {}),
        (None, {"reason": "no channel"}),
    ],
)
def test_other_events_have_no_link(tmp_path: Path, channel: Channel | None, data: dict[str, object]) -> None:
    assert "/console/captures/" not in _render(tmp_path, channel, data)
