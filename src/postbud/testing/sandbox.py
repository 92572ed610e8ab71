"""A running Postbud as a test sees it: the sandbox's controls and what arrived, through the
platform API, and ready SDK clients for each dialect as the sandbox sender."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import httpx2

from postbud.sdk.altinn import AltinnClient, SandboxToken
from postbud.sdk.digipost import DigipostClient, DigipostConfig
from postbud.sdk.ekopost import EkopostClient
from postbud.testing.pdf import sample_pdf_base64
from postbud.testing.server import RunningPostbud, SandboxCredentials

T = TypeVar("T")

ALTINN_RESOURCE = "postbud-test"
"""The Altinn resource the sandbox sender owns in a test session (registered at the first use)."""
ALTINN_WRITE = "altinn:correspondence.write"
ALTINN_READ = "altinn:correspondence.read"


class PostbudError(AssertionError):
    """The platform API refused a call a test helper made (its problem details in the message)."""


class PostbudSandbox:
    """``postbud.letters()``, ``postbud.advance_clock(days=1)``, ``postbud.digipost()``, …"""

    def __init__(self, running: RunningPostbud) -> None:
        self.url = running.url
        self.data_dir = running.data_dir
        self.credentials: SandboxCredentials = running.credentials
        self._http = httpx2.Client(
            base_url=f"{running.url}/api/v1",
            headers={"Authorization": f"Bearer {running.credentials.admin_token}"},
            timeout=60,
        )

    def close(self) -> None:
        self._http.close()

    # --- The platform API, as the admin -------------------------------------------------------

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """One platform API call (``path`` below ``/api/v1``); its JSON, or PostbudError."""
        response = self._http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise PostbudError(f"{method} /api/v1{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def reset(self, *, reseed: bool = False) -> dict[str, Any]:
        """Delete every letter and its history; the credentials (and the population) stay."""
        body = {"population": "reseed" if reseed else "keep", "keep_credentials": True}
        outcome: dict[str, Any] = self.api("POST", "/sandbox/reset", json=body)
        return outcome

    def clock(self) -> dict[str, Any]:
        now: dict[str, Any] = self.api("GET", "/sandbox/clock")
        return now

    def advance_clock(self, by: timedelta | None = None, **parts: float) -> dict[str, Any]:
        """Move the sandbox's business time forward (``by``, or ``days=``, ``hours=``, …); work that
        falls due runs at once. The protocols' own clocks (Date headers, tokens) do not move."""
        step = by if by is not None else timedelta(**parts)
        moved: dict[str, Any] = self.api(
            "POST", "/sandbox/clock/advance", json={"seconds": step.total_seconds()}
        )
        return moved

    def person(self, *, mailbox: bool = True) -> str:
        """The identifier of a person in the sandbox population: with a digital mailbox (and not
        reserved) or, with ``mailbox=False``, without one."""
        page: dict[str, Any] = self.api("GET", "/recipients", params={"limit": 500})
        for someone in page["items"]:
            if (
                someone["kind"] == "person"
                and someone["digital_mailbox"] == mailbox
                and not someone["reserved"]
            ):
                identifier: str = someone["identifier"]
                return identifier
        raise AssertionError(f"the sandbox has no person with mailbox={mailbox}")

    def send(self, recipient: str | None = None, *, title: str = "Brev", **letter: Any) -> dict[str, Any]:
        """A letter from the sandbox sender through the platform API (a one-page PDF unless
        ``documents`` are given); the answer's ``shipment``."""
        documents = letter.pop("documents", None) or [
            {"title": title, "content_base64": sample_pdf_base64(title)}
        ]
        body = {"sender_id": self.credentials.sender_id, "documents": documents, **letter}
        if recipient is not None:
            body["recipient"] = recipient
        accepted: dict[str, Any] = self.api("POST", "/shipments", json=body)
        shipment: dict[str, Any] = accepted["shipment"]
        return shipment

    def letters(self, **filters: str) -> list[dict[str, Any]]:
        """Letters, newest first (``status=``, ``channel=``, ``recipient=``, ``sender_id=``)."""
        page: dict[str, Any] = self.api("GET", "/shipments", params={"limit": 500, **filters})
        items: list[dict[str, Any]] = page["items"]
        return items

    def letter(self, shipment_id: str) -> dict[str, Any]:
        """One letter with its documents and every event."""
        shown: dict[str, Any] = self.api("GET", f"/shipments/{shipment_id}")
        return shown

    def events(self, shipment_id: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self.letter(shipment_id)["events"]
        return events

    def event_types(self, shipment_id: str) -> list[str]:
        return [e["type"] for e in self.events(shipment_id)]

    def webhook_deliveries(self, **filters: str) -> list[dict[str, Any]]:
        deliveries: list[dict[str, Any]] = self.api("GET", "/webhooks/deliveries", params=filters)
        return deliveries

    def captures(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Captured e-mails and SMS (no SMTP server or gateway in the sandbox), newest first."""
        params = {"limit": 500, **({"channel": channel} if channel else {})}
        page: dict[str, Any] = self.api("GET", "/sandbox/captures", params=params)
        items: list[dict[str, Any]] = page["items"]
        return items

    def capture(self, capture_id: str) -> dict[str, Any]:
        """One capture with its text and raw message (``raw_base64``)."""
        shown: dict[str, Any] = self.api("GET", f"/sandbox/captures/{capture_id}")
        return shown

    def wait_for(self, condition: Callable[[], T | None], *, timeout: float = 30.0) -> T:
        """Poll ``condition`` until it returns something truthy (the server's workers deliver in the
        background); AssertionError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = condition()
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing came within {timeout} s")
            time.sleep(0.05)

    # --- SDK clients, as the sandbox sender ------------------------------------------------------

    def digipost(self, **options: Any) -> DigipostClient:
        """The Digipost client, signing as the sandbox sender (broker id 100000). Close it (``with``)."""
        config = DigipostConfig.from_pem(
            self.credentials.digipost_id,
            self.credentials.key_file,
            base_url=f"{self.url}/digipost",
            **options,
        )
        return DigipostClient(config)

    def ekopost(self, **options: Any) -> EkopostClient:
        """The Ekopost client with the sandbox sender's API key. Close it (``with``)."""
        return EkopostClient(f"{self.url}/ekopost/", api_key=self.credentials.api_key, **options)

    def altinn(
        self, *, scopes: tuple[str, ...] = (ALTINN_WRITE, ALTINN_READ), **options: Any
    ) -> AltinnClient:
        """The Altinn Correspondence client as the sandbox sender's organisation, which owns the
        resource ``postbud-test``. Close it (``with``)."""
        self.altinn_resource()
        token = SandboxToken(
            org=self.credentials.organisation_number,
            scopes=list(scopes),
            data_dir=self.data_dir,
            public_url=self.url,
        )
        return AltinnClient(self.url, token, **options)

    def altinn_resource(self, resource_id: str = ALTINN_RESOURCE) -> str:
        """A resource the sandbox sender owns (registered if missing; a reset keeps it)."""
        found = self._http.get(f"/resources/{resource_id}")
        if found.status_code == 404:
            body = {
                "id": resource_id,
                "owner": self.credentials.organisation_number,
                "titles": {"nb": "Test"},
            }
            self.api("POST", "/resources", json=body)
        return resource_id
