"""Texts of the inbox's signing pages: ``key: (bokmål, English)``."""

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts

SIGNING_TEXTS: Final[Texts] = {
    "signing.title": ("Dokumenter å signere", "Documents to sign"),
    "signing.none": ("Du har ingen dokumenter å signere.", "You have no documents to sign."),
    "signing.from": ("Fra {sender}", "From {sender}"),
    "signing.untitled": ("Dokument", "Document"),
    "signing.waiting": ("Venter på din signatur", "Waiting for your signature"),
    "signing.you_signed": ("Du signerte {date}", "You signed {date}"),
    "signing.complete": ("Signert av alle", "Signed by everyone"),
    "signing.signers": ("Signatarer", "Signers"),
    "signing.issuer": ("utsteder", "issuer"),
    "signing.signed_at": ("signerte {date}", "signed {date}"),
    "signing.not_signed": ("har ikke signert", "has not signed"),
    "signing.download": ("Last ned dokumentet (PDF)", "Download the document (PDF)"),
    "signing.download_signed": (
        "Last ned det signerte dokumentet (PDF)",
        "Download the signed document (PDF)",
    ),
    "signing.intro": (
        "Les dokumentet før du signerer. Signaturen din gjelder dette dokumentet (SHA-256 {sha256}).",
        "Read the document before you sign. Your signature is for this document (SHA-256 {sha256}).",
    ),
    "signing.step_up": (
        "For å signere må du logge inn med e-ID (sandkasse).",
        "To sign, sign in with your e-ID (sandbox).",
    ),
    "signing.step_up_button": ("Logg inn med e-ID", "Sign in with e-ID"),
    "signing.sign": ("Signer", "Sign"),
    "signing.signed_now": ("Du har signert dokumentet.", "You have signed the document."),
    "signing.not_now": ("Dokumentet kan ikke signeres nå.", "The document cannot be signed now."),
    "signing.nav": ("Til signering", "To sign"),
    "signing.closed": ("Dokumentet kan ikke lenger signeres.", "The document can no longer be signed."),
    "signing.waiting_count": (
        "{count} {count:dokument|dokumenter} venter på signaturen din.",
        "{count} {count:document waits|documents wait} for your signature.",
    ),
    "e_signing.proven_as": (
        "Logget inn med e-ID som {name} ({number}).",
        "Logged in with e-ID as {name} ({number}).",
    ),
    "e_signing.log_out": ("Logg ut av e-ID", "Log out of e-ID"),
    "e_signing.not_a_signer": (
        "Det er ikke noe dokument å signere her for denne e-ID-en. Logg inn som den som skal signere.",
        "There is no document to sign here for that e-ID. Log in as the person asked to sign.",
    ),
    "e_id.title": ("Logg inn med e-ID", "Log in with e-ID"),
    "e_id.sandbox_intro": (
        "Sandkasse: test-BankID. Skriv et gyldig fødselsnummer eller svensk personnummer og et navn;"
        " ingen ekte e-ID blir spurt.",
        "Sandbox: a test BankID. Type a valid Norwegian fødselsnummer or Swedish personnummer and a"
        " name; no real e-ID is asked.",
    ),
    "e_id.national_id": ("Fødselsnummer eller personnummer", "National identity number"),
    "e_id.name": ("Navn", "Name"),
    "e_id.confirm": ("Logg inn med test-BankID", "Log in with test BankID"),
    "e_id.unavailable": (
        "Ingen e-ID er satt opp for denne Postbud-installasjonen.",
        "No e-ID is configured for this Postbud installation.",
    ),
}
