"""Reading an initialize request (C1's JSON, C2's form as the same tree) into what the handler needs:
pure, no I/O. Model binding comes first (§4 step 0): every field that does not bind or breaks a data
annotation is collected and answered at once as a validation problem; the catalogue's rules are the
handler's, in their order."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from postbud.dialects.altinn.errors import Invalid, ValidationProblem
from postbud.dialects.altinn.model import (
    DataLocationType,
    EmailContentType,
    NotificationChannel,
    NotificationTemplate,
    ReferenceType,
)
from postbud.dialects.altinn.recipients import AltinnRecipient, RecipientInvalid, parse_recipient
from postbud.dialects.altinn.wire import Reader, enum_of, parse_guid
from postbud.domain.attachments import MD5_HEX

MAX_RECIPIENTS = 500
MAX_REFERENCE = 4096
MAX_PROPERTIES = 10
MAX_EXTERNAL_REFERENCES = 10
RESOURCE_PREFIX = "urn:altinn:resource:"


@dataclass(frozen=True, slots=True)
class NewAttachment:
    file_name: str | None
    display_name: str | None
    is_encrypted: bool
    checksum: str | None
    senders_reference: str
    expiration_in_days: int | None
    data_location_type: DataLocationType


@dataclass(frozen=True, slots=True)
class Notification:
    template: NotificationTemplate
    channel: NotificationChannel
    send_reminder: bool
    raw: dict[str, Any]
    """The notification as given (stored with the correspondence, shown in no response)."""


@dataclass(frozen=True, slots=True)
class Content:
    language: str
    title: str | None
    summary: str | None
    body: str | None
    attachments: tuple[NewAttachment, ...]


@dataclass(frozen=True, slots=True)
class ExternalReference:
    value: str
    type: ReferenceType


@dataclass(frozen=True, slots=True)
class ReplyOption:
    url: str
    text: str | None


@dataclass(frozen=True, slots=True)
class InitializeRequest:
    resource_id: str
    senders_reference: str
    message_sender: str | None
    content: Content | None
    requested_publish_time: datetime | None
    due_date_time: datetime | None
    external_references: tuple[ExternalReference, ...]
    property_list: dict[str, str]
    reply_options: tuple[ReplyOption, ...]
    notification: Notification | None
    ignore_reservation: bool | None
    """None when not given (written back as null); only ``True`` overrides a reservation."""
    is_confirmation_needed: bool
    is_confidential: bool
    allow_forwarding: bool
    recipients: tuple[AltinnRecipient, ...]
    existing_attachments: tuple[uuid.UUID, ...]
    idempotent_key: uuid.UUID | None
    raw_recipients: tuple[str, ...] = field(default=())


def read_attachment(item: Reader) -> NewAttachment:
    """An attachment's metadata (§3.4): in a correspondence's content, or A1's body."""
    checksum = item.string("checksum")
    if checksum is not None and checksum != "" and not MD5_HEX.fullmatch(checksum):
        item.fail("checksum", "The checksum, if used, must be a MD5 hash in lower case")
    reference = item.string("sendersReference", required=True, max_length=MAX_REFERENCE)
    location = item.enum(DataLocationType, "dataLocationType")
    return NewAttachment(
        file_name=item.string("fileName"),
        display_name=item.string("displayName", max_length=255),
        is_encrypted=bool(item.boolean("isEncrypted")),
        checksum=checksum or None,
        senders_reference=reference or "",
        expiration_in_days=item.integer("expirationInDays"),
        data_location_type=location or DataLocationType.NewCorrespondenceAttachment,
    )


def _content(reader: Reader) -> Content:
    language = reader.string("language")
    if language is not None and len(language) != 2:
        reader.fail("language", "The ISO6391 field must be exactly 2 characters long!")
    return Content(
        language=(language or "nb"),
        title=reader.string("messageTitle"),
        summary=reader.string("messageSummary"),
        body=reader.string("messageBody"),
        attachments=tuple(read_attachment(a) for a in reader.objects("attachments")),
    )


def _notification(reader: Reader) -> Notification:
    template_raw = reader.raw("notificationTemplate")
    template = NotificationTemplate.CustomMessage
    if template_raw is not None:
        found = enum_of(NotificationTemplate, template_raw)
        if found is None:
            raise TemplateInvalid()
        template = found
    channel = reader.enum(NotificationChannel, "notificationChannel", required=True)
    reader.enum(NotificationChannel, "reminderNotificationChannel")
    reader.enum(EmailContentType, "emailContentType")
    reader.enum(EmailContentType, "reminderEmailContentType")
    reader.string("emailSubject", max_length=512)
    reader.string("emailBody", max_length=10000)
    reader.string("smsBody", max_length=2144)
    return Notification(
        template=template,
        channel=channel or NotificationChannel.Email,
        send_reminder=bool(reader.boolean("sendReminder")),
        raw=dict(reader.members),
    )


class TemplateInvalid(Exception):
    """An unknown notification template: the real service answers a bare JSON string (§3.5)."""


def _recipients(top: Reader) -> tuple[tuple[AltinnRecipient, ...], tuple[str, ...]]:
    values = top.items("recipients")
    if values is None:
        top.fail("recipients", "The Recipients field is required.")
        return (), ()
    if not values:
        top.fail("recipients", "Recipients must contain at least one recipient")
        return (), ()
    if len(values) > MAX_RECIPIENTS:
        top.fail("recipients", f"Recipients can contain at most {MAX_RECIPIENTS} recipients")
        return (), ()
    parsed: list[AltinnRecipient] = []
    raw: list[str] = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            top.fail("recipients", "Recipients cannot contain null or empty values")
            continue
        try:
            parsed.append(parse_recipient(value))
            raw.append(value)
        except RecipientInvalid as exc:
            top.fail("recipients", str(exc))
    return tuple(parsed), tuple(raw)


def _resource_id(reader: Reader) -> str:
    value = reader.string("resourceId", required=True, max_length=255 + len(RESOURCE_PREFIX))
    if value is None:
        return ""
    text = value[len(RESOURCE_PREFIX) :] if value.lower().startswith(RESOURCE_PREFIX) else value
    if not 1 <= len(text) <= 255 or ":" in text:
        reader.fail("resourceId", "Resource ID must be in the format 'urn:altinn:resource:{id}' or '{id}'")
    return text


def _references(reader: Reader) -> tuple[ExternalReference, ...]:
    items = reader.objects("externalReferences")
    if len(items) > MAX_EXTERNAL_REFERENCES:
        reader.fail(
            "externalReferences",
            f"ExternalReferences can contain at most {MAX_EXTERNAL_REFERENCES} references",
        )
        return ()
    references: list[ExternalReference] = []
    for item in items:
        value = item.string("referenceValue", required=True)
        kind = item.enum(ReferenceType, "referenceType", required=True)
        if value is not None and kind is not None:
            references.append(ExternalReference(value, kind))
    return tuple(references)


def _properties(reader: Reader) -> dict[str, str]:
    value = reader.raw("propertyList")
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
        reader.fail("propertyList", "The JSON value could not be converted to Dictionary<String, String>.")
        return {}
    properties = {str(k): str(v) for k, v in value.items()}
    if len(properties) > MAX_PROPERTIES:
        reader.fail("propertyList", f"propertyList can contain at most {MAX_PROPERTIES} properties")
    for key, text in properties.items():
        if len(key) > 50:
            reader.fail("propertyList", "propertyList Key can not be longer than 50")
        if len(text) > 300:
            reader.fail("propertyList", "propertyList Value can not be longer than 300")
    return properties


def _reply_options(reader: Reader) -> tuple[ReplyOption, ...]:
    options: list[ReplyOption] = []
    for item in reader.objects("replyOptions"):
        url = item.string("linkURL", required=True)
        options.append(ReplyOption(url or "", item.string("linkText")))
    return tuple(options)


def read_initialize(body: Mapping[str, Any]) -> InitializeRequest:
    """The request, or ValidationProblem naming every field that does not bind; TemplateInvalid for
    an unknown notification template."""
    invalid: list[Invalid] = []
    top = Reader(body, "", invalid)
    correspondence = top.obj("correspondence", required=True)
    recipients, raw_recipients = _recipients(top)
    existing: list[uuid.UUID] = []
    for value in top.items("existingAttachments") or []:
        guid = parse_guid(value)
        if guid is None:
            top.fail("existingAttachments", "The JSON value could not be converted to System.Guid.")
        else:
            existing.append(guid)
    key: uuid.UUID | None = None
    if top.raw("idempotentKey") is not None:
        key = parse_guid(top.raw("idempotentKey"))
        if key is None or key.int == 0:
            top.fail("idempotentKey", "The idempotency key must be a valid non-empty GUID")
    if correspondence is None:
        raise ValidationProblem(invalid)
    c = correspondence
    resource_id = _resource_id(c)
    senders_reference = c.string("sendersReference", required=True, max_length=MAX_REFERENCE)
    message_sender = c.string("messageSender", max_length=255)
    content_reader = c.obj("content")
    content = _content(content_reader) if content_reader is not None else None
    notification_reader = c.obj("notification")
    notification = _notification(notification_reader) if notification_reader is not None else None
    request = InitializeRequest(
        resource_id=resource_id,
        senders_reference=senders_reference or "",
        message_sender=message_sender,
        content=content,
        requested_publish_time=c.time("requestedPublishTime"),
        due_date_time=c.time("dueDateTime"),
        external_references=_references(c),
        property_list=_properties(c),
        reply_options=_reply_options(c),
        notification=notification,
        ignore_reservation=c.boolean("ignoreReservation"),
        is_confirmation_needed=bool(c.boolean("isConfirmationNeeded")),
        is_confidential=bool(c.boolean("isConfidential")),
        allow_forwarding=bool(c.boolean("allowForwarding")),
        recipients=recipients,
        existing_attachments=tuple(existing),
        idempotent_key=key,
        raw_recipients=raw_recipients,
    )
    if invalid:
        raise ValidationProblem(invalid)
    return request
