"""Texts of the home page at ``/``: ``key: (bokmål, English)``."""
# ruff: noqa: E501 — a text reads best on one line, whatever its length.

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts, texts

HOW_TO_CONNECT: Final = {
    "digipost": "home.connect_digipost",
    "ekopost": "home.connect_ekopost",
    "altinn": "home.connect_altinn",
}
"""Dialect name → how a client connects, in words; a dialect without one shows its own description."""
DIALECT_TITLES: Final = {
    "digipost": "home.dialect_digipost",
    "ekopost": "home.dialect_ekopost",
    "altinn": "home.dialect_altinn",
}

_PAGE: Final[Texts] = {
    "home.title": ("Forside", "Home"),
    "home.heading": ("Postbud {version}", "Postbud {version}"),
    "home.lead_sandbox": (
        "En lokal sandkasse for digital post: Digipost, Ekopost og Altinn Correspondence med samme kjerne. Alt som sendes hit, kan ses i innboksen og konsollen; ingenting forlater maskinen.",
        "A local sandbox for digital post: Digipost, Ekopost and Altinn Correspondence over one core. Everything sent here can be seen in the inbox and the console; nothing leaves this machine.",
    ),
    "home.lead_production": (
        "Et selvdrevet postkontor for Digipost, Ekopost og Altinn Correspondence.",
        "A self-hosted post office for Digipost, Ekopost and Altinn Correspondence.",
    ),
    "home.nav_inbox": ("Innboks", "Inbox"),
    "home.nav_console": ("Konsoll", "Console"),
    "home.nav_docs": ("API-dokumentasjon", "API docs"),
    "home.start": ("Kom i gang", "Start here"),
    "home.inbox": ("Innboksen", "The inbox"),
    "home.inbox_about": (
        "Mottakernes digitale postkasse. Logg inn som en hvilken som helst testperson eller virksomhet og les, betal og del brev.",
        "The recipients' digital mailbox. Sign in as any test person or organisation and read, pay and share letters.",
    ),
    "home.console": ("Konsollen", "The console"),
    "home.console_about": (
        "For driften: hendelser i sanntid, brev og tidslinjen deres, printkøen, webhooks, e-post og SMS som er fanget, feilinjeksjon og klokken. Logg inn med admin-nøkkelen.",
        "For operators: live events, letters and their timelines, the print queue, webhooks, captured e-mail and SMS, fault injection and the clock. Sign in with the admin token.",
    ),
    "home.console_captures": ("Fanget e-post og SMS", "Captured e-mail and SMS"),
    "home.console_clock": ("Sandkassens klokke", "The sandbox clock"),
    "home.console_reset": ("Nullstill sandkassen", "Reset the sandbox"),
    "home.docs": ("API-dokumentasjonen", "The API docs"),
    "home.docs_about": (
        "Postbuds eget API (avsendere, mottakere, forsendelser, hendelser, jobber, webhooks, sandkassen), også uten internett.",
        "Postbud's own API (senders, recipients, shipments, events, jobs, webhooks, the sandbox), offline too.",
    ),
    "home.docs_swagger": ("Swagger UI (prøv kall)", "Swagger UI (try calls)"),
    "home.docs_redoc": ("ReDoc (referanse)", "ReDoc (reference)"),
    "home.docs_openapi": ("OpenAPI (JSON)", "OpenAPI (JSON)"),
    "home.running": ("Dette kjører", "What is running"),
    "home.version": ("Versjon", "Version"),
    "home.address": ("Adresse", "Address"),
    "home.mode": ("Modus", "Mode"),
    "home.mode_sandbox": ("Sandkasse", "Sandbox"),
    "home.mode_production": ("Drift (ikke sandkasse)", "Production (not a sandbox)"),
    "home.database": ("Database", "Database"),
    "home.database_value": ("{kind} – {where}", "{kind} – {where}"),
    "home.documents": ("Dokumenter", "Documents"),
    "home.documents_files": ("filer i {where}", "files in {where}"),
    "home.documents_other": ("{kind} – {where}", "{kind} – {where}"),
    "home.workers": ("Jobbarbeidere i denne prosessen", "Job workers in this process"),
    "home.time_zone": ("Tidssone", "Time zone"),
    "home.data_dir": ("Datamappe", "Data folder"),
    "home.health": ("Helse og målinger", "Health and metrics"),
    "home.apis": ("API-ene og hvordan du kobler til", "The APIs and how to connect"),
    "home.apis_intro": (
        "Pek en klient på basis-URL-en. Hvert API sjekker forespørslene slik den ekte tjenesten gjør.",
        "Point a client at the base URL. Each API checks requests the way the real service does.",
    ),
    "home.dialect_digipost": ("Digipost", "Digipost"),
    "home.dialect_ekopost": ("Ekopost", "Ekopost"),
    "home.dialect_altinn": ("Altinn Correspondence", "Altinn Correspondence"),
    "home.platform_api": ("Postbuds plattform-API", "Postbud's platform API"),
    "home.base_url": ("Basis-URL", "Base URL"),
    "home.authentication": ("Autentisering", "Authentication"),
    "home.own_port": ("egen port, API-et ved roten", "own port, the API at its root"),
    "home.connect_digipost": (
        "X-Digipost-UserId er databehandlerens (broker) nummer; hver forespørsel signeres med nøkkelen til sertifikatet som er registrert for den, og Date må være innenfor ±5 minutter. Svarene er signert med sertifikatet som GET på basis-URL-en publiserer.",
        "X-Digipost-UserId is the broker's numeric id; each request is signed with the key of the certificate registered for it, and Date must be within ±5 minutes. Responses are signed with the certificate GET on the base URL publishes.",
    ),
    "home.connect_ekopost": (
        "Authorization: api-key NØKKEL (avsenderens API-nøkkel), eller Basic med organisasjonsnummer og API-nøkkel. Klienter som bruker faste stier ved roten, trenger en egen port: postbud serve --ekopost-port 8081.",
        "Authorization: api-key KEY (the sender's API key), or Basic with the organisation number and the API key. Clients with hard-coded root paths need a port of their own: postbud serve --ekopost-port 8081.",
    ),
    "home.connect_altinn": (
        "Authorization: Bearer med et JWT fra Postbuds testutsteder: postbud token --org ORGNR --scope altinn:correspondence.write, eller Maskinporten-flyten under. Avsender er eieren av ressursen (postbud resources add).",
        "Authorization: Bearer with a JWT from Postbud's test issuer: postbud token --org ORGNR --scope altinn:correspondence.write, or the Maskinporten flow below. The sender is the owner of the resource (postbud resources add).",
    ),
    "home.connect_platform": (
        "Authorization: Bearer med admin-nøkkelen (alt) eller en avsenders API-nøkkel (bare den avsenderen).",
        "Authorization: Bearer with the admin token (everything) or a sender's API key (that sender only).",
    ),
    "home.bins_title": ("Webhooks uten egen server", "Webhooks without a server of your own"),
    "home.bins_about": (
        "Postbud kan selv ta imot webhooks: pek et abonnement på en forespørselsboks (velg et navn) og se hver forespørsel, med signaturen sjekket, i konsollen.",
        "Postbud can receive webhooks itself: point a subscription at a request bin (pick a name) and see each request, its signature checked, in the console.",
    ),
    "home.bins_receive": ("Webhook-URL", "Webhook URL"),
    "home.bins_name": ("<navn>", "<name>"),
    "home.bins_watch": ("Se forespørslene", "See the requests"),
    "home.token_endpoint": ("Token-endepunkt (Maskinporten-stil)", "Token endpoint (Maskinporten style)"),
    "home.token_exchange": ("Veksle til Altinn-token", "Exchange for an Altinn token"),
    "home.jwks": ("Nøkler (JWKS)", "Keys (JWKS)"),
    "home.in_this_sandbox": ("I denne sandkassen", "In this sandbox"),
    "home.broker_id": ("Broker-id (X-Digipost-UserId)", "Broker id (X-Digipost-UserId)"),
    "home.signing_key": ("Signeringsnøkkel", "Signing key"),
    "home.header": ("Header", "Header"),
    "home.mint_token": ("Lag et token", "Mint a token"),
}

_SANDBOX: Final[Texts] = {
    "home.credentials": ("Testnøkler", "Sandbox credentials"),
    "home.credentials_intro": (
        "Sandkassens ferdige avsender. Nøklene er testnøkler og vises bare i en sandkasse; de står også i {file}, og postbud serve skriver dem ut ved start.",
        "The sandbox's ready-made sender. These are test credentials, shown only in a sandbox; they are also in {file}, and postbud serve prints them when it starts.",
    ),
    "home.credentials_missing": (
        "Sandkassens avsender er ikke laget ennå. postbud serve lager den ved første start (eller postbud seed).",
        "The sandbox sender has not been created yet. postbud serve creates it on first start (or postbud seed).",
    ),
    "home.sender": ("Avsender", "Sender"),
    "home.organisation_number": ("Organisasjonsnummer", "Organisation number"),
    "home.api_key": ("API-nøkkel", "API key"),
    "home.certificate": ("Sertifikat", "Certificate"),
    "home.admin_token": (
        "Admin-nøkkel (konsollen og plattform-API-et)",
        "Admin token (the console and the platform API)",
    ),
    "home.admin_token_env": ("satt med POSTBUD_ADMIN_TOKEN", "set by POSTBUD_ADMIN_TOKEN"),
    "home.admin_token_file": ("i filen {path}", "in the file {path}"),
    "home.time": ("Tid i sandkassen", "Sandbox time"),
    "home.time_real": ("Klokken går i sann tid.", "The clock runs in real time."),
    "home.time_moved": (
        "Klokken er flyttet {ahead} fram. Sann tid er {real}.",
        "The clock has been moved {ahead} ahead. The real time is {real}.",
    ),
    "home.time_about": (
        "Sandkassens klokke styrer publiseringstider, påminnelser, frister og printdager – aldri protokollens egne tider (Date-headere, signaturer, tokens).",
        "The sandbox clock drives publish times, reminders, deadlines and print days – never the protocol's own times (Date headers, signatures, tokens).",
    ),
    "home.time_move": (
        "Flytt eller still tilbake klokken i konsollen",
        "Move or set back the clock in the console",
    ),
}

HOME_TEXTS: Final = texts(_PAGE, _SANDBOX)
