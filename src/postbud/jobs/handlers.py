"""Which handler runs each job kind."""

from __future__ import annotations

import uuid

from postbud.jobs.registry import JobHandler
from postbud.services.edi.invitations import run_advance_job as edi_advance
from postbud.services.letters import (
    attachments,
    batch_state,
    batches,
    blob_release,
    deadlines,
    deliver,
    notify,
    reminders,
    reprint,
)
from postbud.services.mailings.sms import give_up_send_job, run_send_job
from postbud.services.print_line.press import press
from postbud.services.print_line.run import give_up_print_run, print_run
from postbud.services.recipient_actions.forward import give_up_forwarding, run_forward_job
from postbud.services.registration.outcome import deliver_registered, registration_deadline
from postbud.services.registration.request_job import give_up_registration_request, request_registration
from postbud.services.retention.event_feed import PRUNE_EVENT_FEED, run_event_feed_pruning
from postbud.services.runtime import Runtime
from postbud.services.signing import jobs as signing_jobs
from postbud.storage.job_kinds import EVENTS_API_VALIDATE
from postbud.storage.repos.jobs import Job
from postbud.webhooks import deliver as webhook_delivery
from postbud.webhooks import events_api_validation


def _shipment(job: Job) -> uuid.UUID:
    return uuid.UUID(job.payload["shipment_id"])


async def _deliver(job: Job, runtime: Runtime) -> None:
    await deliver.deliver(_shipment(job), runtime)


async def _give_up(job: Job, runtime: Runtime, error: str) -> None:
    await deliver.give_up_delivery(_shipment(job), runtime, error)


async def _publish(job: Job, runtime: Runtime) -> None:
    await deliver.publish(_shipment(job), runtime)


async def _print_if_unread(job: Job, runtime: Runtime) -> None:
    await deliver.print_if_unread(_shipment(job), runtime)


async def _notify(job: Job, runtime: Runtime) -> None:
    # A letter delivered in its send request gets its reminders here: this job was written with it.
    await reminders.schedule_after_delivery(_shipment(job), runtime)
    await notify.send_notifications(_shipment(job), runtime)


async def _notify_give_up(job: Job, runtime: Runtime, error: str) -> None:
    await notify.give_up_notifications(_shipment(job), runtime, error)


async def _remind(job: Job, runtime: Runtime) -> None:
    await reminders.send_reminder(_shipment(job), job.payload["notice"], job.payload["reminder"], runtime)


async def _remind_give_up(job: Job, runtime: Runtime, error: str) -> None:
    notice, label = job.payload["notice"], job.payload["reminder"]
    await reminders.give_up_reminder(_shipment(job), notice, label, runtime, error)


async def _reprint(job: Job, runtime: Runtime) -> None:
    await reprint.reprint(_shipment(job), job.payload["attempt"], runtime)


async def _reprint_give_up(job: Job, runtime: Runtime, error: str) -> None:
    await reprint.give_up_reprint(_shipment(job), job.payload["attempt"], runtime, error)


async def _request_registration(job: Job, runtime: Runtime) -> None:
    await request_registration(_shipment(job), runtime)


async def _registration_request_give_up(job: Job, runtime: Runtime, error: str) -> None:
    await give_up_registration_request(_shipment(job), runtime, error)


async def _registered(job: Job, runtime: Runtime) -> None:
    await deliver_registered(_shipment(job), runtime)


async def _registration_deadline(job: Job, runtime: Runtime) -> None:
    await registration_deadline(_shipment(job), runtime)


async def _due(job: Job, runtime: Runtime) -> None:
    await deadlines.note_due_date(_shipment(job), runtime)


async def _document_expire(job: Job, runtime: Runtime) -> None:
    await deadlines.expire_document(_shipment(job), uuid.UUID(job.payload["document_id"]), runtime)


def _batch(job: Job) -> uuid.UUID:
    return uuid.UUID(job.payload["batch_id"])


async def _batch_release(job: Job, runtime: Runtime) -> None:
    await batches.release_batch(_batch(job), runtime)


async def _batch_refresh(job: Job, runtime: Runtime) -> None:
    await batch_state.refresh_batch_state(_batch(job), runtime)


def _run_letters(job: Job) -> list[uuid.UUID]:
    return [uuid.UUID(i) for i in job.payload["letters"]]


async def _print_run(job: Job, runtime: Runtime) -> None:
    await print_run(_batch(job), _run_letters(job), runtime)


async def _print_run_give_up(job: Job, runtime: Runtime, error: str) -> None:
    await give_up_print_run(_run_letters(job), runtime, error)


async def _print_press(job: Job, runtime: Runtime) -> None:
    await press(uuid.UUID(job.payload["print_batch_id"]), runtime)


async def _prune_event_feed(_job: Job, runtime: Runtime) -> None:
    await run_event_feed_pruning(runtime)


def core_handlers() -> dict[str, JobHandler]:
    return {
        "shipment.deliver": JobHandler(_deliver, _give_up),
        "shipment.publish": JobHandler(_publish),
        "shipment.print_if_unread": JobHandler(_print_if_unread),
        "shipment.notify": JobHandler(_notify, _notify_give_up),
        "shipment.remind": JobHandler(_remind, _remind_give_up),
        "shipment.reprint": JobHandler(_reprint, _reprint_give_up),
        "shipment.registration_request": JobHandler(_request_registration, _registration_request_give_up),
        "shipment.registered": JobHandler(_registered),
        "shipment.registration_deadline": JobHandler(_registration_deadline),
        "shipment.due": JobHandler(_due),
        "shipment.document_expire": JobHandler(_document_expire),
        "shipment.forward": JobHandler(run_forward_job, give_up_forwarding),
        "batch.release": JobHandler(_batch_release),
        "batch.refresh": JobHandler(_batch_refresh),
        "print_line.run": JobHandler(_print_run, _print_run_give_up),
        "print_line.press": JobHandler(_print_press),
        "blob.release": JobHandler(blob_release.run_blob_release_job),
        "attachment.expire": JobHandler(attachments.run_expire_job),
        "webhook.deliver": JobHandler(webhook_delivery.run, webhook_delivery.give_up),
        "sms_mailing.send": JobHandler(run_send_job, give_up_send_job),
        "edi.invitation.advance": JobHandler(edi_advance),
        "signing.invite": JobHandler(signing_jobs.invite, signing_jobs.invite_give_up),
        "signing.complete": JobHandler(signing_jobs.complete, signing_jobs.complete_give_up),
        PRUNE_EVENT_FEED: JobHandler(_prune_event_feed),
        EVENTS_API_VALIDATE: events_api_validation.JOB_HANDLER,
    }
