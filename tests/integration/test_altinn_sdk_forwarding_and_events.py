"""The SDK's calls for issue 10's remainder against a live Postbud (uvicorn, a job worker, SQLite and
PostgreSQL): the zip of every attachment (C10), forwarding (C11) and its check (H4), confidential
reminders (H6), and Altinn Events' subscriptions, blocking and asyncio."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
import zipfile

import pytest

from postbud.dialects.altinn.tokens import mint_person_token
from postbud.sdk.altinn import (
    AltinnApiError,
    AltinnClient,
    AsyncAltinnClient,
    CorrespondenceStatus,
    EventsSubscriptionRequest,
    NewAttachment,
)
from postbud.services.sandbox.token_issuer import token_issuer
from tests.integration.test_altinn_auth_sdk import (
    ATTACHMENT,
    OTHER_OWNER,
    OWNER,
    PERSON,
    READ,
    WRITE,
    Live,
    _published,
    _request,
    live,
)

__all__ = ["live"]

RESOURCE_URN = "urn:altinn:resource:skd-melding"


def test_download_all_forward_and_the_forward_check_through_the_sdk(live: Live) -> None:
    person_token = mint_person_token(token_issuer(live.data_dir), live.url, PERSON, [READ])
    with (
        AltinnClient(live.url, live.minted(OWNER, WRITE)) as sender,
        AltinnClient(live.url, person_token) as person,
        AltinnClient(live.url, live.minted(OWNER, "altinn:correspondence.forward.check")) as checker,
    ):
        sent = sender.initialize_with_attachments(
            _request(PERSON, allow_forwarding=True), [NewAttachment("vedtak.txt", ATTACHMENT, "text/plain")]
        )
        (letter,) = sent.correspondences
        _published(sender, letter.correspondence_id)
        person.get_overview(letter.correspondence_id)
        archive = zipfile.ZipFile(io.BytesIO(person.download_all(letter.correspondence_id)))
        assert archive.namelist() == ["vedtak.txt"]
        assert archive.read("vedtak.txt") == ATTACHMENT

        assert checker.can_forward(letter.correspondence_id) is True
        with pytest.raises(AltinnApiError) as unread:
            person.forward(letter.correspondence_id, "regnskap@bedrift.example")
        assert unread.value.error_code == 1065
        person.mark_as_read(letter.correspondence_id)
        forwarding_id = person.forward(letter.correspondence_id, "regnskap@bedrift.example", "Til regnskap")
        assert isinstance(forwarding_id, uuid.UUID)
        deadline = time.monotonic() + 60  # the worker sends it (captured: no SMTP server is set)
        while person.get_overview(letter.correspondence_id).status is not CorrespondenceStatus.FORWARDED:
            assert time.monotonic() < deadline, "not forwarded within 60 s"
            time.sleep(0.2)

        with pytest.raises(AltinnApiError) as none:
            AltinnClient(live.url, live.minted(OWNER, READ)).get_confidential_reminders()
        assert (none.value.status, none.value.error_code) == (404, 1062)


def test_events_api_subscriptions_through_the_sdk(live: Live) -> None:
    request = EventsSubscriptionRequest(
        end_point="https://mottak.example/altinn-events",
        resource_filter=RESOURCE_URN,
        type_filter="no.altinn.correspondence.correspondencepublished",
    )
    with AltinnClient(live.url, live.minted(OWNER, "altinn:events.subscribe")) as owner:
        made = owner.subscribe(request)
        assert made.end_point == request.end_point
        assert made.type_filter == request.type_filter
        assert made.consumer == f"/organisation/{OWNER}"
        assert owner.get_subscription(made.id) == made
        listed = owner.list_subscriptions()
        assert (listed.count, [s.id for s in listed.subscriptions]) == (1, [made.id])

    async def as_another_owner() -> None:
        async with AsyncAltinnClient(live.url, live.minted(OTHER_OWNER, "altinn:events.subscribe")) as other:
            assert (await other.list_subscriptions()).count == 0
            with pytest.raises(AltinnApiError) as refused:
                await other.subscribe(request)
            assert refused.value.status == 403
            assert (
                refused.value.detail
                == f"Not authorized to create a subscription for resource {RESOURCE_URN}."
            )
            with pytest.raises(AltinnApiError) as theirs:
                await other.delete_subscription(made.id)
            assert theirs.value.status == 403

    asyncio.run(as_another_owner())
    with AltinnClient(live.url, live.minted(OWNER, "altinn:events.subscribe")) as owner:
        owner.delete_subscription(made.id)
        with pytest.raises(AltinnApiError) as gone:
            owner.get_subscription(made.id)
        assert gone.value.status == 404
