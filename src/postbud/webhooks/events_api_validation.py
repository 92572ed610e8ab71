"""The validation of an Events API subscription, as Altinn Events does it: a CloudEvent of type
``platform.events.validatesubscription`` (no data, ``source`` the subscription's own URL) POSTed to
the endpoint; the first 2xx marks the subscription validated, and from then on it is delivered to.
Until then the ``events_api.validate`` job retries with the webhooks' backoff (30 attempts, more
than a day); after the last the subscription stays unvalidated, as Altinn's validation queue
leaves it. Sent as ``application/json; charset=utf-8``, as Altinn Events' webhook client posts it
(not ``application/cloudevents+json``). Signed as Postbud's CloudEvents deliveries are (Standard
Webhooks, the webhook's secret), and failed by the sandbox's webhook faults as they are.
"""

from __future__ import annotations

import time
from typing import Final

from postbud.jobs.registry import JobHandler
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job
from postbud.webhooks import cloudevents, exchange, signing
from postbud.webhooks.deliver import TIMEOUT, http_client
from postbud.webhooks.events_api_delivery import MEDIA_TYPE
from postbud.webhooks.formats import SignedBody
from postbud.webhooks.payload import encode

VALIDATION_TYPE: Final = "platform.events.validatesubscription"
SUBSCRIPTIONS_PATH: Final = "/events/api/v1/subscriptions"


class NotValidated(Exception):
    """The endpoint did not answer the validation event with a 2xx; raised so the worker retries."""


def validation_event(public_url: str, number: int, event_id: str) -> dict[str, str]:
    source = f"{public_url.rstrip('/')}{SUBSCRIPTIONS_PATH}/{number}"
    return cloudevents.cloud_event(id=event_id, source=source, type=VALIDATION_TYPE)


async def validate(job: Job, runtime: Runtime) -> None:
    number = int(job.payload["subscription"])
    async with runtime.reader() as uow:
        subscription = await uow.events_api.get(number)
        webhook = await uow.webhooks.get(subscription.webhook_id) if subscription else None
    if subscription is None or webhook is None:
        return  # deleted meanwhile: nothing to validate
    if fault := runtime.faults.should_fail_webhook(webhook.url):  # a sandbox fault: the endpoint seems down
        raise NotValidated(f"subscription {number}: {fault.outcome(TIMEOUT)[1]}")
    event = validation_event(runtime.settings.resolved_public_url, number, str(job.id))
    body = encode(event)
    headers = signing.signed_headers(webhook.secret, str(job.id), int(time.time()), body)
    headers["content-type"] = MEDIA_TYPE
    outcome = await exchange.post(http_client(), webhook.url, SignedBody(body, headers), TIMEOUT)
    if outcome.error is not None:
        raise NotValidated(f"subscription {number}: {outcome.error}")
    async with runtime.unit_of_work() as uow:
        await uow.events_api.validated(number, at=runtime.wall_clock.now())


JOB_HANDLER: Final = JobHandler(validate)
