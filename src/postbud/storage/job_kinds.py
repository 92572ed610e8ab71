"""The names of the job kinds, in one place: use cases enqueue them, jobs/handlers.py runs them."""

from __future__ import annotations

DELIVER = "shipment.deliver"
PUBLISH = "shipment.publish"
NOTIFY = "shipment.notify"
PRINT_IF_UNREAD = "shipment.print_if_unread"
REMIND = "shipment.remind"
REPRINT = "shipment.reprint"
REGISTRATION_REQUEST = "shipment.registration_request"
REGISTERED = "shipment.registered"
REGISTRATION_DEADLINE = "shipment.registration_deadline"
WEBHOOK_DELIVER = "webhook.deliver"
