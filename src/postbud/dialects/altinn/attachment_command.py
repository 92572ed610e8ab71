"""An Altinn attachment's metadata (A1, or a new attachment of an initialize) as the core's command."""

from __future__ import annotations

from datetime import datetime, timedelta

from postbud.dialects.altinn.initialize_in import NewAttachment
from postbud.dialects.altinn.views import data_type
from postbud.domain.resources import LETTER_RESOURCE_PROPERTY, Resource
from postbud.services.letters.attachments import InitializeAttachment


def attachment_command(
    item: NewAttachment, resource: Resource, *, expiry_from: datetime
) -> InitializeAttachment:
    """``expiry_from``: when ``expirationInDays`` starts counting (now for A1, the publish time for
    an attachment uploaded with its correspondence)."""
    days = item.expiration_in_days
    return InitializeAttachment(
        sender_id=resource.owner_sender_id,
        dialect="altinn",
        file_name=item.file_name or "",
        mime=data_type(item.file_name or ""),
        name=item.display_name,
        senders_reference=item.senders_reference,
        md5=item.checksum,
        expires_at=expiry_from + timedelta(days=days) if days else None,
        properties={
            "resourceId": resource.id,
            LETTER_RESOURCE_PROPERTY: resource.id,  # the core's name: webhooks limited to a resource
            "isEncrypted": item.is_encrypted,
            "expirationInDays": days,
        },
    )
