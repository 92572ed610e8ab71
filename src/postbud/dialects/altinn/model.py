"""The enums of the request and response models (reference §3), with the real service's numbers."""

from __future__ import annotations

from enum import IntEnum


class NotificationTemplate(IntEnum):
    CustomMessage = 0
    GenericAltinnMessage = 1


class NotificationChannel(IntEnum):
    Email = 0
    Sms = 1
    EmailPreferred = 2
    SmsPreferred = 3
    EmailAndSms = 4


class EmailContentType(IntEnum):
    Plain = 0
    Html = 1


class ReferenceType(IntEnum):
    Generic = 0
    AltinnAppInstance = 1
    AltinnBrokerFileTransfer = 2
    DialogportenDialogId = 3
    DialogportenProcessId = 4
    DialogportenTransmissionId = 5
    DialogportenTransmissionType = 6
    DialogportenDialogStatus = 7
    DialogportenDialogExtendedStatus = 8


class DataLocationType(IntEnum):
    NewCorrespondenceAttachment = 0
    ExistingCorrespondenceAttachment = 1
    ExistingExternalStorage = 2


class Role(IntEnum):
    Recipient = 0
    Sender = 1
    RecipientAndSender = 2
