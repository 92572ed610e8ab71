"""Texts of the console's captured e-mail and SMS pages: ``key: (bokmål, English)``."""
# ruff: noqa: E501 — a text reads best on one line, whatever its length.

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts, texts

_CAPTURES: Final[Texts] = {
    "console.nav_captures": ("E-post og SMS", "E-mail and SMS"),
    "console.captures_title": ("Fanget e-post og SMS", "Captured e-mail and SMS"),
    "console.captures_intro": (
        "Uten SMTP-server eller SMS-tjeneste sender ikke sandkassen noe: hver e-post og SMS lagres her i stedet, slik den ville blitt sendt. Nyeste først.",
        "Without an SMTP server or SMS gateway the sandbox sends nothing: every e-mail and SMS is stored here instead, as it would have been sent. Newest first.",
    ),
    "console.captures_none": (
        "Ingen e-post eller SMS er fanget ennå.",
        "No e-mail or SMS has been captured yet.",
    ),
    "console.captures_filter": ("Kanal", "Channel"),
    "console.captures_all": ("Alle", "All"),
    "console.captures_channel.email": ("E-post", "E-mail"),
    "console.captures_channel.sms": ("SMS", "SMS"),
    "console.captures_apply": ("Vis", "Show"),
    "console.capture_col_at": ("Tidspunkt", "Time"),
    "console.capture_col_channel": ("Kanal", "Channel"),
    "console.capture_col_to": ("Til", "To"),
    "console.capture_col_title": ("Emne / tekst", "Subject / text"),
    "console.capture_col_kind": ("Hva", "What"),
    "console.capture_col_letter": ("Brev", "Letter"),
    "console.capture_kind.letter": ("Selve brevet", "The letter itself"),
    "console.capture_kind.notice": ("Varsel", "Notice"),
    "console.capture_kind.reminder": ("Påminnelse", "Reminder"),
    "console.capture_kind.registration": ("Be om registrering", "Request to register"),
    "console.capture_kind.mailing": ("SMS-utsendelse", "SMS mailing"),
    "console.capture_mailing": ("SMS-utsendelse", "SMS mailing"),
    "console.capture_gone": ("(ikke lagret lenger)", "(no longer stored)"),
    "console.capture_open_letter": ("Brevet", "The letter"),
    "console.capture_title": ("Fanget melding", "Captured message"),
    "console.capture_email_title": ("Fanget e-post", "Captured e-mail"),
    "console.capture_sms_title": ("Fanget SMS", "Captured SMS"),
    "console.capture_rendered": ("Meldingen", "The message"),
    "console.capture_raw": ("Rå", "Raw"),
    "console.capture_raw_intro_email": (
        "Meldingen slik den ville blitt sendt til SMTP-serveren (RFC 5322).",
        "The message as it would have been handed to the SMTP server (RFC 5322).",
    ),
    "console.capture_raw_intro_sms": (
        "Meldingen slik den ville blitt sendt til SMS-tjenesten (JSON).",
        "The message as it would have been posted to the SMS gateway (JSON).",
    ),
    "console.capture_raw_cut": (
        "Meldingen er lang; her vises bare begynnelsen. Last ned for å se alt.",
        "The message is long; only its beginning is shown here. Download it to see all of it.",
    ),
    "console.capture_download_eml": ("Last ned .eml", "Download .eml"),
    "console.capture_download_json": ("Last ned JSON", "Download JSON"),
    "console.capture_attachments": ("Vedlegg", "Attachments"),
    "console.capture_body": ("Tekst", "Text"),
    "console.capture_sms_from": ("Fra", "From"),
    "console.capture_sms_to": ("Til", "To"),
    "console.capture_sms_at": ("Sendt", "Sent"),
    "console.capture_sms_key": ("Idempotensnøkkel", "Idempotency key"),
    "console.capture_sms_length": ("Lengde", "Length"),
    "console.capture_sms_chars": ("{count} tegn", "{count} {count:character|characters}"),
    "console.capture_missing": (
        "Meldingen er ikke lagret lenger (brevet er slettet, eller sandkassen er nullstilt).",
        "The message is no longer stored (the letter was purged, or the sandbox was reset).",
    ),
    "console.capture_of_event": ("Registrert som", "Recorded as"),
    "console.capture_view": ("Vis fanget {channel}", "Show captured {channel}"),
    "console.capture_view_email": ("e-post", "e-mail"),
    "console.capture_view_sms": ("SMS", "SMS"),
}

CAPTURE_TEXTS: Final = texts(_CAPTURES)
