"""What a client remembers between calls: cached entrypoints and the server's verification key."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from postbud.dialects.digipost.keys import KeyLoadError, load_public_key

from .config import DigipostConfig
from .errors import ResponseSignatureError
from .links import Entrypoint
from .transport import Verification

__all__ = ["Session"]


@dataclass
class Session:
    config: DigipostConfig
    server_key: RSAPublicKey | None = None
    _entrypoints: dict[int | None, tuple[datetime, Entrypoint]] = field(default_factory=dict)

    def cached(self, sender_id: int | None) -> Entrypoint | None:
        """A fresh cached entrypoint (``None`` = the root), or None when it must be fetched."""
        entry = self._entrypoints.get(sender_id)
        if entry is None or self.config.clock() - entry[0] > self.config.entrypoint_cache_ttl:
            return None
        return entry[1]

    def verification(self, *, root_entrypoint: bool = False) -> Verification:
        """Signatures are checked on every response but the root entrypoint fetched without a key.

        Without a server key (the entrypoint published no certificate) every other call fails with
        ResponseSignatureError rather than going unchecked.
        """
        if root_entrypoint and self.server_key is None:
            return Verification(None, expect_signature=False)
        return Verification(self.server_key)

    def remember(self, sender_id: int | None, entrypoint: Entrypoint) -> None:
        if sender_id is None and entrypoint.certificate_pem:
            try:
                self.server_key = load_public_key(entrypoint.certificate_pem.encode("ascii"))
            except (KeyLoadError, UnicodeEncodeError) as exc:
                raise ResponseSignatureError(f"the entrypoint's certificate is unusable: {exc}") from None
        self._entrypoints[sender_id] = (self.config.clock(), entrypoint)
