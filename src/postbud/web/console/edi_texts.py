"""Texts of the console's EDI page: ``key: (bokmål, English)``."""
# ruff: noqa: E501 — a text reads best on one line, whatever its length.

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts, texts

_EDI: Final[Texts] = {
    "console.nav_edi": ("EDI", "EDI"),
    "console.edi_title": ("EDI-avsendere og invitasjoner", "EDI senders and invitations"),
    "console.edi_intro": (
        "Avsendere av EDI-fakturaer som kundene har registrert (Ekopost), og invitasjonene til mottakerne. Sandkassen spiller mottakerne: statusene flyttes etter sandkassens klokke.",
        "Senders of EDI invoices that customers registered (Ekopost), and their invitations to the receivers. The sandbox plays the receivers: the statuses move with the sandbox clock.",
    ),
    "console.edi_none": ("Ingen EDI-avsendere er registrert ennå.", "No EDI sender has been registered yet."),
    "console.edi_customer": ("Kunde", "Customer"),
    "console.edi_all": ("Alle", "All"),
    "console.edi_apply": ("Vis", "Show"),
    "console.edi_cin": ("Organisasjonsnummer", "Organisation number"),
    "console.edi_registered": ("Registrert", "Registered"),
    "console.edi_no_invitation": ("Ingen invitasjon (ingen GLN oppgitt).", "No invitation (no GLN given)."),
    "console.edi_col_receiver": ("Mottaker (GLN)", "Receiver (GLN)"),
    "console.edi_col_sent": ("Sendt", "Sent"),
    "console.edi_col_status": ("Status", "Status"),
    "console.edi_col_history": ("Historikk", "History"),
    "console.edi_status.registered": ("Registrert", "Registered"),
    "console.edi_status.sent": ("Sendt", "Sent"),
    "console.edi_status.received": ("Mottatt", "Received"),
    "console.edi_status.answered": ("Besvart", "Answered"),
    "console.edi_status.connection_approved": ("Kobling godkjent", "Connection approved"),
    "console.edi_status.connection_denied": ("Kobling avslått", "Connection denied"),
    "console.edi_status.reminder_sent": ("Påminnelse sendt", "Reminder sent"),
    "console.edi_status.insufficient_information": ("Mangelfull informasjon", "Insufficient information"),
    "console.edi_status.unknown": ("Ukjent status", "Unknown status"),
    "console.edi_status.expired": ("Utløpt", "Expired"),
}

EDI_TEXTS: Final = texts(_EDI)
