"""Altinn Events' subscription API at its own path, ``/events/api/v1/subscriptions``, for clients that
subscribe to a resource's correspondence events there: create (201, the identical one made before
if any), get, list (``{"count", "subscriptions"}``) and delete, with the Events API's checks and
words (its errors are bare JSON strings, its 403/404 empty). A subscription is one of Postbud's
webhooks in the CloudEvents format, limited to the resource's letters and to the event types Altinn
names (§8), so the endpoint receives exactly what Altinn Events would post. As Altinn Events, each
request to subscribe sends the endpoint a ``platform.events.validatesubscription`` event and the
subscription is ``validated`` (and delivered to) once the endpoint answered it with a 2xx; the
``typeFilter`` and ``subjectFilter`` are compared with each event's ``type`` and ``subject``.

Who may subscribe, as the resource policy Altinn Events asks (action ``subscribe``, the
``subjectFilter`` as the party): the resource's owner, to any of its events; anyone else (a
recipient organisation's or a person's system) only with a ``subjectFilter`` naming itself
(``urn:altinn:organization:identifier-no:ORGNR`` / ``urn:altinn:person:identifier-no:SSN``), so it is
delivered only the events whose subject it is (its own correspondences' ``correspondencepublished``,
``…receiverneverread``, ``…receiverneverconfirmed``); without one, or naming another party, it is
Altinn's 403 "Not authorized to create a subscription for resource …". The consumer is
``/organisation/{orgnr}``, or ``/person/{ssn}`` for a person (Altinn Events says ``/user/{userId}``).

What differs: ``includeSubunits`` is not applied (no register of main units); the endpoint may
be ``http://`` on a loopback host (a local receiver; Altinn requires https); deliveries are signed
as Standard Webhooks (the signing secret is the webhook's, in the console)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any, Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from postbud.dialects.altinn.auth import (
    ORGANISATION_URN_PREFIX,
    PERSON_URN_PREFIX,
    AltinnAuthError,
    organisation_of,
    person_of,
    verify_bearer,
)
from postbud.dialects.altinn.errors import AltinnError, Invalid, PlainError, ValidationProblem
from postbud.dialects.altinn.events import ATTACHMENT_NAMES, NAMES, PREFIX
from postbud.dialects.altinn.http_in import json_body
from postbud.dialects.altinn.tokens_verify import VerifiedToken
from postbud.dialects.altinn.wire import Reader, lower_keys
from postbud.domain.attachments import attachment_event_name
from postbud.domain.errors import NotFound
from postbud.domain.events import EventType
from postbud.plugins.protocol import RuntimeOf
from postbud.services.parties.resources import get_resource
from postbud.services.runtime import Runtime
from postbud.webhooks.events_api import (
    Subscribed,
    Wanted,
    subscribe,
    subscription,
    subscriptions,
    unsubscribe,
)

PATH: Final = "/events/api/v1/subscriptions"
SUBSCRIBE_SCOPE: Final = "altinn:events.subscribe"
RESOURCE_PREFIX: Final = "urn:altinn:resource:"
_URN: Final = "urn:"
_LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1"})
_REMINDER: Final = "correspondencenotificationreminderdelivered"


def _types(type_filter: str | None) -> tuple[str, ...]:
    """The core's event types an Altinn ``type`` (or every Altinn-named one) comes from."""
    named: dict[str, list[str]] = {PREFIX + name: [] for name, _ in NAMES.values()}
    named[PREFIX + _REMINDER] = []
    for event_type, (name, _) in NAMES.items():
        named[PREFIX + name].append(event_type.value)
    named[PREFIX + _REMINDER].append(EventType.NOTIFICATION_SENT.value)
    for status, name in ATTACHMENT_NAMES.items():
        named[PREFIX + name] = [attachment_event_name(status)]
    if type_filter is None:
        return tuple(sorted({t for types in named.values() for t in types}))
    return tuple(named.get(type_filter, []))


def _valid_endpoint(raw: str | None) -> bool:
    if not raw:
        return False
    try:
        parts = urlsplit(raw)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)


def _is_urn(value: str) -> bool:
    """As Altinn Events' check: ``urn:<nid>:<nss>``."""
    parts = value.split(":", 2)
    return len(parts) == 3 and parts[0].lower() == "urn" and bool(parts[1]) and bool(parts[2])


def _view(found: Subscribed) -> dict[str, Any]:
    s = found.subscription
    return {
        "id": s.id,
        "endPoint": found.webhook.url,
        "sourceFilter": None,
        "resourceFilter": s.resource_filter,
        "subjectFilter": s.subject_filter,
        "alternativeSubjectFilter": None,
        "typeFilter": s.type_filter,
        "consumer": s.consumer,
        "createdBy": s.consumer,
        "created": s.created_at.astimezone(UTC).isoformat(),
        "validated": s.validated_at is not None,
        "includeSubunits": False,
    }


def _refused(status: int, text: str) -> PlainError:
    return PlainError(status, text, as_json=True)


@dataclass(frozen=True, slots=True)
class _Party:
    """Who subscribes: a person before an organisation, as Altinn reads a token."""

    consumer: str
    urn: str
    organisation: str | None


def _party(verified: VerifiedToken) -> _Party:
    person, organisation = person_of(verified), organisation_of(verified)
    if person is not None:
        return _Party(f"/person/{person}", PERSON_URN_PREFIX + person, None)
    if organisation is not None:
        return _Party(f"/organisation/{organisation}", ORGANISATION_URN_PREFIX + organisation, organisation)
    raise AltinnAuthError(401, "Could not determine the consumer", www_authenticate="Bearer")


async def _consumer(request: Request, runtime: Runtime) -> str:
    return _party(await verify_bearer(request, runtime)).consumer


async def _create(runtime: Runtime, request: Request) -> Response:
    verified = await verify_bearer(request, runtime)
    body = await json_body(request)
    invalid: list[Invalid] = []
    reader = Reader(body, "", invalid)
    members = lower_keys(body)
    endpoint = reader.string("endPoint")
    source = reader.string("sourceFilter")
    resource_filter = reader.string("resourceFilter")
    subject_filter = reader.string("subjectFilter")
    alternative = reader.string("alternativeSubjectFilter")
    type_filter = reader.string("typeFilter")
    if invalid:
        raise ValidationProblem(invalid)
    if not _valid_endpoint(endpoint):
        raise _refused(400, "Missing or invalid endpoint to push events towards")
    if source is not None and not _valid_endpoint(source):
        raise _refused(400, "SourceFilter must be an absolute URL with the https scheme.")
    if SUBSCRIBE_SCOPE not in str(verified.claims.get("scope", "")).split():
        raise PlainError(403, "")
    if resource_filter is not None and not _is_urn(resource_filter):
        raise _refused(400, "Resource filter must be a valid urn")
    if not resource_filter:
        raise _refused(400, "Resource filter is required.")
    if source is not None:
        raise _refused(400, "Source filter is not supported for subscriptions on this resource.")
    if alternative:
        raise _refused(400, "AlternativeSubject filter is not supported for subscriptions on this resource.")
    if members.get("includesubunits") is True and not subject_filter:
        raise _refused(400, "IncludeSubunits requires a subject filter.")
    party = _party(verified)
    not_yours = _refused(403, f"Not authorized to create a subscription for resource {resource_filter}.")
    if not resource_filter.lower().startswith(RESOURCE_PREFIX):
        raise not_yours
    try:
        resource = await get_resource(runtime, resource_filter[len(RESOURCE_PREFIX) :])
    except NotFound:
        raise not_yours from None
    owner = party.organisation == resource.owner_organisation_number
    if not owner and subject_filter != party.urn:
        raise not_yours  # a recipient subscribes only to the events whose subject it is
    assert endpoint is not None
    wanted = Wanted(
        sender_id=resource.owner_sender_id,
        url=endpoint,
        resource_id=resource.id,
        event_types=_types(type_filter),
        consumer=party.consumer,
        resource_filter=resource_filter,
        subject_filter=subject_filter,
        type_filter=type_filter,
    )
    found = await subscribe(runtime, wanted)
    location = f"/events/api/v1/subscription/{found.subscription.id}"
    return JSONResponse(_view(found), status_code=201, headers={"location": location})


async def _owned(runtime: Runtime, request: Request) -> Subscribed:
    consumer = await _consumer(request, runtime)
    try:
        number = int(request.path_params["id"])
    except ValueError:
        raise _refused(400, f"The value '{request.path_params['id']}' is not valid.") from None
    found = await subscription(runtime, number)
    if found is None:
        raise PlainError(404, "")
    if found.subscription.consumer != consumer:
        raise PlainError(403, "")
    return found


def events_api_routes(runtime_of: RuntimeOf) -> list[Route]:
    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(runtime_of(), request)  # type: ignore[no-any-return]
            except (AltinnAuthError, AltinnError, ValidationProblem, PlainError) as exc:
                return exc.response()

        return endpoint

    async def create(runtime: Runtime, request: Request) -> Response:
        return await _create(runtime, request)

    async def listed(runtime: Runtime, request: Request) -> Response:
        consumer = await _consumer(request, runtime)
        found = await subscriptions(runtime, consumer)
        return JSONResponse({"count": len(found), "subscriptions": [_view(s) for s in found]})

    async def one(runtime: Runtime, request: Request) -> Response:
        return JSONResponse(_view(await _owned(runtime, request)))

    async def remove(runtime: Runtime, request: Request) -> Response:
        found = await _owned(runtime, request)
        await unsubscribe(runtime, found.subscription.id)
        return Response(status_code=200)

    return [
        Route(PATH, guarded(create), methods=["POST"]),
        Route(PATH, guarded(listed), methods=["GET"]),
        Route(PATH + "/{id}", guarded(one), methods=["GET"]),
        Route(PATH + "/{id}", guarded(remove), methods=["DELETE"]),
    ]
