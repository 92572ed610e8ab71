"""Texts shared by every web page (layout, errors, sign-in): ``key: (bokmål, English)``."""
# ruff: noqa: E501 — a text reads best on one line, whatever its length.

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts, texts

_COMMON: Final[Texts] = {
    "common.skip_to_content": ("Hopp til innholdet", "Skip to content"),
    "common.site_nav": ("Hovedmeny", "Main menu"),
    "common.language": ("Språk", "Language"),
    "common.language_nb": ("Norsk", "Norsk"),
    "common.language_en": ("English", "English"),
    "common.sandbox_notice": (
        "Sandkasse: alle personer, virksomheter og brev her er oppdiktet.",
        "Sandbox: every person, organisation and letter here is made up.",
    ),
    "common.footer": ("Postbud – selvdrevet digital post", "Postbud – self-hosted digital post"),
    "error.bad_request": ("Forespørselen kunne ikke behandles", "The request could not be handled"),
    "error.forbidden": ("Ingen tilgang", "Not allowed"),
    "error.not_found": ("Fant ikke siden", "Page not found"),
    "error.not_found_detail": (
        "Vi fant ikke det du lette etter. Kanskje lenken er feil, eller du er logget inn som en annen.",
        "We could not find what you were looking for. The link may be wrong, or you are signed in as someone else.",
    ),
    "error.conflict": ("Det gikk ikke", "That did not work"),
    "error.too_large": ("Filen er for stor", "The file is too large"),
    "error.too_large_detail": (
        "Det du sendte er større enn vi tar imot. Ingenting er endret.",
        "What you sent is larger than we accept. Nothing was changed.",
    ),
    "error.csrf_detail": (
        "Skjemaet var utløpt eller kom ikke fra denne siden. Ingenting er endret. Gå tilbake, last siden på nytt og prøv igjen.",
        "The form had expired or did not come from this site. Nothing was changed. Go back, reload the page and try again.",
    ),
    "error.unavailable": ("Ikke tilgjengelig", "Not available"),
    "error.server": ("Noe gikk galt hos oss", "Something went wrong on our side"),
    "error.server_detail": (
        "Prøv igjen om litt. Feilen er logget.",
        "Please try again in a moment. The error has been logged.",
    ),
    "error.home": ("Til forsiden", "Go to the start page"),
    "signin.title": ("Logg inn", "Sign in"),
    "signin.sandbox_intro": (
        "Dette er testinnlogging i sandkassen. Velg hvem du vil være – en person eller en virksomhet med innboks.",
        "This is the sandbox's test sign-in. Choose who you want to be – a person or an organisation with an inbox.",
    ),
    "signin.search_label": (
        "Søk etter navn, fødselsnummer eller organisasjonsnummer",
        "Search by name, national identity number or organisation number",
    ),
    "signin.search": ("Søk", "Search"),
    "signin.results": ("Testidentiteter", "Test identities"),
    "signin.none": ("Ingen treff.", "No matches."),
    "signin.as": ("Logg inn som {name}", "Sign in as {name}"),
    "signin.person": ("Person", "Person"),
    "signin.organisation": ("Virksomhet", "Organisation"),
    "signin.failed": (
        "Innloggingen mislyktes. Velg en identitet fra listen.",
        "Signing in failed. Choose an identity from the list.",
    ),
    "signin.unavailable": (
        "Ingen innloggingstjeneste er satt opp for denne Postbud-installasjonen.",
        "No identity provider is configured for this Postbud installation.",
    ),
    "signin.sign_out": ("Logg ut", "Sign out"),
    "signin.signed_in_as": ("Innlogget som {name}", "Signed in as {name}"),
    "stepup.title": ("Bekreft med høyere sikkerhetsnivå", "Confirm with a higher security level"),
    "stepup.intro": (
        "Dette brevet krever sterkere innlogging enn du har nå. I sandkassen bekrefter du med test-BankID ved å trykke på knappen.",
        "This letter requires a stronger sign-in than you have now. In the sandbox you confirm with test BankID by pressing the button.",
    ),
    "stepup.confirm": ("Bekreft med test-BankID", "Confirm with test BankID"),
    "stepup.cancel": ("Avbryt", "Cancel"),
    "level.password": ("passord", "password"),
    "level.two_factor": ("tofaktor", "two-factor"),
    "level.idporten_3": ("ID-porten nivå 3", "ID-porten level 3"),
    "level.idporten_4": ("ID-porten nivå 4 (BankID)", "ID-porten level 4 (BankID)"),
    "stepup.level": ("Krevd nivå: {level}", "Required level: {level}"),
}

COMMON_TEXTS: Final = texts(_COMMON)
