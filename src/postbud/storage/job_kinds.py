"""The names of the job kinds, in one place: use cases enqueue them, jobs/handlers.py runs them."""

from __future__ import annotations

DELIVER = "shipment.deliver"
PUBLISH = "shipment.publish"
NOTIFY = "shipment.notify"
PRINT_IF_UNREAD = "shipment.print_if_unread"
WEBHOOK_DELIVER = "webhook.deliver"
