"""The condition endpoints Altinn Notifications calls before it sends (H2 reminder, H3 main notice):
``{"sendNotification": bool}`` — no for a correspondence purged, failed or never published, and for a
reminder also once it is read. Callers need Maskinporten's ``altinn:system/notifications.condition.check``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from postbud.dialects.altinn.auth import AltinnAuthError, verify_bearer
from postbud.dialects.altinn.context import AltinnDialect
from postbud.dialects.altinn.errors import error
from postbud.dialects.altinn.http_in import path_guid
from postbud.dialects.altinn.statuses import PURGED, CorrespondenceStatus, status_history
from postbud.dialects.altinn.stored import record_of
from postbud.domain.errors import NotFound
from postbud.services.letters.query import get_shipment

CHECK_SCOPE = "altinn:system/notifications.condition.check"


async def _send_notification(dialect: AltinnDialect, request: Request, *, reminder: bool) -> Response:
    verified = await verify_bearer(request, dialect.runtime)
    if CHECK_SCOPE not in str(verified.claims.get("scope", "")).split():
        raise AltinnAuthError(
            403, f"The token's scope does not satisfy the NotificationCheck policy: it needs '{CHECK_SCOPE}'"
        )
    try:
        found = await get_shipment(path_guid(request, "correspondenceId"), dialect.runtime)
    except NotFound:
        raise error(1001) from None
    if record_of(found.shipment) is None:
        raise error(1001)
    statuses = {entry.status for entry in status_history(found.events)}
    send = (
        CorrespondenceStatus.Published in statuses
        and CorrespondenceStatus.Failed not in statuses
        and not statuses & PURGED
        and not (reminder and CorrespondenceStatus.Read in statuses)
    )
    return JSONResponse({"sendNotification": send})


async def check_main(dialect: AltinnDialect, request: Request) -> Response:
    return await _send_notification(dialect, request, reminder=False)


async def check_reminder(dialect: AltinnDialect, request: Request) -> Response:
    return await _send_notification(dialect, request, reminder=True)
