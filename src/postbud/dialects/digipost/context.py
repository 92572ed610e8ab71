"""What the Digipost dialect keeps between requests: the server key and the brokers' keys."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from postbud.dialects.digipost import print_key
from postbud.dialects.digipost.keys import load_public_key
from postbud.dialects.digipost.server_key import ServerKey, load_or_create
from postbud.domain.parties import Sender
from postbud.services.parties.credentials import digipost_sender
from postbud.services.runtime import Runtime

# A certificate registered through the CLI in another process is picked up within this time.
_BROKER_CACHE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Broker:
    sender: Sender | None
    public_key: RSAPublicKey | None


@dataclass
class DigipostDialect:
    runtime_of: Callable[[], Runtime]
    _server_key: ServerKey | None = None
    _print_key: print_key.PrintKey | None = None
    _brokers: dict[int, tuple[float, Broker]] = field(default_factory=dict)

    @property
    def runtime(self) -> Runtime:
        return self.runtime_of()

    @property
    def server_key(self) -> ServerKey:
        if self._server_key is None:
            directory = self.runtime.settings.ensure_data_dir() / "keys"
            self._server_key = load_or_create(directory)
        return self._server_key

    @property
    def print_key(self) -> print_key.PrintKey:
        if self._print_key is None:
            directory = self.runtime.settings.ensure_data_dir() / "keys"
            self._print_key = print_key.load_or_create(directory)
        return self._print_key

    @property
    def base_url(self) -> str:
        return self.runtime.settings.resolved_public_url + "/digipost"

    async def broker(self, broker_id: int) -> Broker:
        cached = self._brokers.get(broker_id)
        if cached is not None and time.monotonic() - cached[0] < _BROKER_CACHE_SECONDS:
            return cached[1]
        found = await digipost_sender(self.runtime, broker_id)
        sender, pem = found if found is not None else (None, None)
        key = load_public_key(pem.encode()) if pem else None
        broker = Broker(sender, key)
        self._brokers[broker_id] = (time.monotonic(), broker)
        return broker
