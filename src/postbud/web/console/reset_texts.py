"""Texts of the console's reset page: ``key: (bokmål, English)``."""
# ruff: noqa: E501 — a text reads best on one line, whatever its length.

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts, texts

_RESET: Final[Texts] = {
    "console.nav_reset": ("Nullstill", "Reset"),
    "console.reset_title": ("Nullstill sandkassen", "Reset the sandbox"),
    "console.reset_intro": (
        "Start på nytt uten å miste det integrasjonen din peker på. Det samme gjør postbud reset og POST /api/v1/sandbox/reset.",
        "Start afresh without losing what your integration points at. postbud reset and POST /api/v1/sandbox/reset do the same.",
    ),
    "console.reset_deletes": ("Dette slettes", "What is deleted"),
    "console.reset_deletes_list": (
        "Alle brev med dokumenter, hendelser og jobber, webhook-leveranser, delinger, bunter, vedlegg og fanget e-post og SMS – og filene bare disse brukte.",
        "Every letter with its documents, events and jobs, webhook deliveries, shares, batches, attachments and captured e-mail and SMS – and the files only these used.",
    ),
    "console.reset_keeps": ("Dette beholdes", "What is kept"),
    "console.reset_keeps_list": (
        "Personene og virksomhetene, avsenderne med nøkler, API-nøkler, innlogginger, ressurser og webhook-abonnementer, sandkassens klokke og feilinjeksjon.",
        "The people and organisations, the senders with their keys, API keys, logins, resources and webhook subscriptions, the sandbox clock and injected faults.",
    ),
    "console.reset_options": ("Valg", "Options"),
    "console.reset_reseed": (
        "Slett også personer og virksomheter, og lag testpopulasjonen på nytt",
        "Also delete the people and organisations, and seed the test population again",
    ),
    "console.reset_new_credentials": (
        "Slett også avsendere og nøkler, og lag sandkassens avsender på nytt (nøkler som ikke er satt i konfigurasjonen, blir nye)",
        "Also delete the senders and their keys, and make the sandbox sender again (keys not fixed by configuration become new)",
    ),
    "console.reset_confirm": ("Ja, slett alle brev i sandkassen", "Yes, delete every letter in the sandbox"),
    "console.reset_button": ("Nullstill sandkassen", "Reset the sandbox"),
    "console.reset_unconfirmed": (
        "Ingenting er slettet: kryss av for at du vil slette alle brev.",
        "Nothing was deleted: tick the box to confirm that every letter should go.",
    ),
    "console.reset_done": (
        "Sandkassen er nullstilt: {letters} brev og {files} {files:fil|filer} er slettet. {population} {credentials}",
        "The sandbox was reset: {letters} {letters:letter|letters} and {files} {files:file|files} were deleted. {population} {credentials}",
    ),
    "console.reset_population_kept": (
        "Personene og virksomhetene er beholdt.",
        "The people and organisations were kept.",
    ),
    "console.reset_population_reseeded": (
        "Testpopulasjonen er laget på nytt.",
        "The test population was seeded again.",
    ),
    "console.reset_credentials_kept": ("Nøklene er de samme.", "The credentials are unchanged."),
    "console.reset_credentials_new": (
        "Sandkassens avsender er laget på nytt: se forsiden for nøklene.",
        "The sandbox sender was made again: see the home page for its credentials.",
    ),
}

RESET_TEXTS: Final = texts(_RESET)
