"""Texts of the console's webhook pages (subscriptions, each attempt's exchange, request bins):
``key: (bokmål, English)``."""
# ruff: noqa: E501 — a text reads best on one line, whatever its length.

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts, texts

_SUBSCRIPTIONS: Final[Texts] = {
    "console.nav_webhook_subscriptions": ("Abonnementer", "Subscriptions"),
    "console.nav_request_bins": ("Forespørselsbokser", "Request bins"),
    "console.webhook_tabs": ("Webhooks", "Webhooks"),
    "console.tab_deliveries": ("Leveranser", "Deliveries"),
    "console.subscriptions_title": ("Webhook-abonnementer", "Webhook subscriptions"),
    "console.subscriptions_intro": (
        "Hver avsender kan abonnere en URL på hendelsene sine, i formatet mottakeren forstår. Hendelsene til ett brev leveres i rekkefølge.",
        "Each sender can subscribe a URL to its events, in the format its receiver understands. One letter's events are delivered in order.",
    ),
    "console.no_subscriptions": ("Ingen webhook-abonnementer.", "No webhook subscriptions."),
    "console.col_url": ("URL", "URL"),
    "console.col_format": ("Format", "Format"),
    "console.col_events": ("Hendelser", "Events"),
    "console.col_state": ("Tilstand", "State"),
    "console.subscription_active": ("Aktiv", "Active"),
    "console.subscription_paused": ("Pauset", "Paused"),
    "console.pause": ("Pause", "Pause"),
    "console.resume": ("Gjenoppta", "Resume"),
    "console.send_test": ("Send testhendelse", "Send a test event"),
    "console.delete": ("Slett", "Delete"),
    "console.delete_subscription_named": (
        "Slett abonnementet for {url}",
        "Delete the subscription for {url}",
    ),
    "console.add_subscription": ("Nytt abonnement", "New subscription"),
    "console.subscription_sender": ("Avsender", "Sender"),
    "console.subscription_url": ("URL som skal motta hendelsene", "URL to receive the events"),
    "console.subscription_url_hint": (
        "Ingen egen mottaker? Bruk en forespørselsboks: {example}",
        "No receiver of your own? Use a request bin: {example}",
    ),
    "console.subscription_format": ("Format", "Format"),
    "console.format.standard": ("Standard Webhooks", "Standard Webhooks"),
    "console.format.ekopost": ("Ekopost (X-Ekopost-Signature)", "Ekopost (X-Ekopost-Signature)"),
    "console.format.cloudevents": ("CloudEvents 1.0", "CloudEvents 1.0"),
    "console.subscription_events": ("Hendelser (kommaseparert)", "Events (comma-separated)"),
    "console.subscription_events_hint": (
        "Tomt: alle brevhendelser («*»); for Ekopost-formatet kampanjens slutt (batch.completed, batch.failed, batch.cancelled).",
        "Empty: every letter event ('*'); for the Ekopost format, the campaign's end (batch.completed, batch.failed, batch.cancelled).",
    ),
    "console.subscribe": ("Abonner", "Subscribe"),
    "console.subscription_added": ("{url} abonnerer nå på {events}.", "{url} now subscribes to {events}."),
    "console.subscription_secret": ("Signeringshemmelighet", "Signing secret"),
    "console.subscription_secret_once": (
        "Vises bare nå. Mottakeren bruker den til å sjekke signaturen på hver leveranse.",
        "Shown only now. The receiver uses it to check the signature of every delivery.",
    ),
    "console.subscription_paused_done": ("Abonnementet er pauset.", "The subscription is paused."),
    "console.subscription_resumed_done": (
        "Abonnementet er aktivt igjen.",
        "The subscription is active again.",
    ),
    "console.subscription_deleted": ("Abonnementet er slettet.", "The subscription is deleted."),
    "console.subscription_test_sent": (
        "En testhendelse er lagt i kø; se leveransene.",
        "A test event is queued; see the deliveries.",
    ),
    "console.subscription_test_paused": (
        "Abonnementet er pauset. Gjenoppta det før du sender en testhendelse.",
        "The subscription is paused. Resume it before sending a test event.",
    ),
    "console.subscription_missing": (
        "Abonnementet finnes ikke lenger.",
        "The subscription no longer exists.",
    ),
    "console.subscription_invalid": ("Abonnementet ble ikke lagt til:", "The subscription was not added:"),
    "console.delivery.waiting": ("Venter på en tidligere", "Waits for an earlier one"),
    "console.delivery_test": ("Testhendelse", "Test event"),
}

_EXCHANGE: Final[Texts] = {
    "console.exchange": ("Forespørsel og svar", "Request and response"),
    "console.exchange_request": ("Forespørsel", "Request"),
    "console.exchange_response": ("Svar", "Response"),
    "console.exchange_no_response": (
        "Ikke noe svar (tidsavbrudd, avvist tilkobling eller en simulert feil).",
        "No response (a timeout, a refused connection or an injected fault).",
    ),
    "console.exchange_not_kept": (
        "Forsøket er eldre enn loggen av forespørsler og svar.",
        "The attempt is older than the log of requests and responses.",
    ),
    "console.exchange_headers": ("Hoder", "Headers"),
    "console.exchange_body": ("Innhold", "Body"),
    "console.exchange_empty_body": ("(tomt)", "(empty)"),
    "console.exchange_truncated": (
        "Kuttet etter {size} KiB.",
        "Cut after {size} KiB.",
    ),
}

_BINS: Final[Texts] = {
    "console.bins_title": ("Forespørselsbokser", "Request bins"),
    "console.bins_intro": (
        "Postbud kan selv ta imot webhooks: alt som sendes til {url} vises her, med om signaturen stemmer for abonnementet som sender dit. Bare i sandkassen.",
        "Postbud can receive webhooks itself: whatever is sent to {url} shows here, with whether its signature holds for the subscription that posts there. Sandbox only.",
    ),
    "console.bins_none": ("Ingen bokser har mottatt noe ennå.", "No bin has received anything yet."),
    "console.bin_open": ("Åpne en boks", "Open a bin"),
    "console.bin_name": ("Navn", "Name"),
    "console.bin_name_hint": (
        "1–64 bokstaver, sifre, «-», «_» eller «.».",
        "1–64 letters, digits, '-', '_' or '.'.",
    ),
    "console.bin_go": ("Åpne", "Open"),
    "console.col_bin": ("Boks", "Bin"),
    "console.col_requests": ("Forespørsler", "Requests"),
    "console.col_last": ("Sist mottatt", "Last received"),
    "console.bin_title": ("Forespørselsboks {name}", "Request bin {name}"),
    "console.bin_url": ("Adresse", "Address"),
    "console.bin_keeps": (
        "Boksen tar vare på de {count} nyeste forespørslene; innhold over {size} KiB kuttes.",
        "The bin keeps the {count} newest requests; bodies over {size} KiB are cut.",
    ),
    "console.bin_subscriptions": ("Abonnementer som sender hit", "Subscriptions that post here"),
    "console.bin_no_subscriptions": (
        "Ingen abonnementer sender hit ennå. Legg til ett:",
        "No subscription posts here yet. Add one:",
    ),
    "console.bin_empty": ("Ingenting mottatt ennå.", "Nothing received yet."),
    "console.bin_clear": ("Tøm boksen", "Empty the bin"),
    "console.bin_cleared": ("Boksen er tømt.", "The bin is empty."),
    "console.bin_invalid_name": (
        "Et boksnavn er 1–64 bokstaver, sifre, «-», «_» eller «.».",
        "A bin's name is 1–64 letters, digits, '-', '_' or '.'.",
    ),
    "console.bin_size": ("{size} byte", "{size} bytes"),
    "console.signature.valid": ("Gyldig signatur", "Valid signature"),
    "console.signature.invalid": ("Ugyldig signatur", "Invalid signature"),
    "console.signature.unsigned": ("Ikke signert", "Not signed"),
    "console.signature.no_subscription": (
        "Ingen abonnement å sjekke mot",
        "No subscription to check against",
    ),
    "console.signature_of": ("for abonnementet {webhook}", "for subscription {webhook}"),
    "console.sandbox_only_bins": (
        "Forespørselsbokser finnes bare i sandkassen.",
        "Request bins exist in the sandbox only.",
    ),
}

WEBHOOK_TEXTS: Final = texts(_SUBSCRIPTIONS, _EXCHANGE, _BINS)
