"""Every channel adapter, configured for the deployment: real where configured, sandbox capture otherwise.

The deployment's region reaches the channels here: the print house's home country, postmark zone
and envelope window, and the country national mobile numbers are read in.
"""

from __future__ import annotations

from postbud.channels.base import ChannelAdapter
from postbud.channels.einvoice import EInvoiceCapture
from postbud.channels.email import EmailChannel, Mailer
from postbud.channels.faults import FaultInjector
from postbud.channels.inboxes import InboxChannel
from postbud.channels.print import SandboxPrintHouse
from postbud.channels.print.geometry import area_of
from postbud.channels.sms import SmsChannel, SmsGateway
from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock
from postbud.domain.print_layout import LEFT_WINDOW, RIGHT_WINDOW
from postbud.storage.blobs import BlobStore


def channel_adapters(
    settings: Settings, *, blobs: BlobStore, clock: Clock, faults: FaultInjector | None = None
) -> dict[Channel, ChannelAdapter]:
    """One adapter per channel, sharing one fault injector."""
    faults = faults if faults is not None else FaultInjector()
    region = settings.regional()
    mailer = Mailer(blobs, clock, smtp_url=settings.smtp_url, sender=settings.smtp_from)
    sms = SmsGateway(blobs, clock, url=settings.sms_gateway_url)
    window = RIGHT_WINDOW if settings.print_window == "right" else LEFT_WINDOW
    print_house = SandboxPrintHouse(
        blobs,
        clock,
        faults,
        window=area_of(window),
        home_country=region.country,
        timezone=region.time_zone,
        working_days=region.working_days,
    )
    return {
        Channel.DIGITAL_MAILBOX: InboxChannel(Channel.DIGITAL_MAILBOX, faults),
        Channel.BUSINESS_INBOX: InboxChannel(Channel.BUSINESS_INBOX, faults),
        Channel.PRINT: print_house,
        Channel.EMAIL: EmailChannel(mailer, faults),
        Channel.SMS: SmsChannel(sms, faults, region=region.country),
        Channel.EINVOICE: EInvoiceCapture(faults),
    }
