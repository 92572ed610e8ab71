"""Where the client's bearer token comes from: any callable returning the token as a string.

- :class:`StaticToken`: a token you already have (from ``postbud token`` or Altinn's exchange);
- :class:`SandboxToken`: Postbud's sandbox issuer, by running ``postbud token`` on the server's data
  folder (the machine must have that folder), minted again shortly before it expires;
- :class:`MaskinportenToken`: a Maskinporten token for your client (its id and private key), from
  Maskinporten's token endpoint — or Postbud's sandbox one;
- :class:`MaskinportenExchange`: a Maskinporten token (from a provider above, or your own callable)
  exchanged at ``GET {platform}/authentication/api/v1/exchange/maskinporten`` for an Altinn token —
  the way to the real Altinn, and to Postbud;
- any other ``Callable[[], str]``.

A provider is called before every request; the ones here cache their token until 60 seconds
before it expires. The async client calls providers in a worker thread (they may block).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import jwt
from cryptography.hazmat.primitives import serialization

from .errors import TokenError

__all__ = [
    "MASKINPORTEN_TEST_TOKEN_URL",
    "MASKINPORTEN_TOKEN_URL",
    "MaskinportenExchange",
    "MaskinportenToken",
    "SandboxToken",
    "StaticToken",
    "TokenProvider",
    "token_expiry",
]

TokenProvider = Callable[[], str]
MASKINPORTEN_TOKEN_URL = "https://maskinporten.no/token"
MASKINPORTEN_TEST_TOKEN_URL = "https://test.maskinporten.no/token"
_RENEW_BEFORE_SECONDS = 60


def token_expiry(token: str) -> float | None:
    """The ``exp`` of a JWT (read, not verified: the server verifies), or ``None``."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


@dataclass(frozen=True, slots=True)
class StaticToken:
    token: str

    def __call__(self) -> str:
        return self.token


@dataclass
class _Cached:
    """A token kept until shortly before its ``exp``; one caller at a time mints a new one."""

    mint: Callable[[], str]
    _token: str | None = None
    _expires: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self) -> str:
        with self._lock:
            if self._token is None or time.time() >= self._expires - _RENEW_BEFORE_SECONDS:
                token = self.mint()
                self._token, self._expires = token, token_expiry(token) or time.time() + 300
            return self._token


class SandboxToken:
    """A token from Postbud's sandbox issuer, minted by ``postbud token`` on the server's data folder.

    ``SandboxToken(org="974761076", scopes=["altinn:correspondence.write"], data_dir="postbud-data",
    public_url="http://127.0.0.1:8080")``; ``person=`` instead of ``org=`` for a person.
    ``public_url`` must be the server's (it names the issuer). ``maskinporten=True`` gives a
    Maskinporten-style token instead, for :class:`MaskinportenExchange`.
    """

    def __init__(
        self,
        *,
        org: str | None = None,
        person: str | None = None,
        scopes: Sequence[str],
        data_dir: str | Path | None = None,
        public_url: str | None = None,
        ttl_seconds: int = 1800,
        maskinporten: bool = False,
        command: Sequence[str] | None = None,
    ) -> None:
        if (org is None) == (person is None):
            raise ValueError("name exactly one of org and person")
        if not scopes:
            raise ValueError("name at least one scope")
        self._args = ["--org", org] if org is not None else ["--person", str(person)]
        for scope in scopes:
            self._args += ["--scope", scope]
        self._args += ["--ttl", str(ttl_seconds)]
        if maskinporten:
            self._args.append("--maskinporten")
        if data_dir is not None:
            self._args += ["--data-dir", str(data_dir)]
        if public_url is not None:
            self._args += ["--public-url", public_url]
        self._command = list(command) if command is not None else _postbud_command()
        self._cached = _Cached(self._mint)

    def _mint(self) -> str:
        try:
            # The command is postbud's own (beside this Python, or as given), never shell-parsed.
            done = subprocess.run(  # noqa: S603
                [*self._command, "token", *self._args],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        except OSError as exc:
            raise TokenError(f"cannot run {self._command[0]}: {exc}") from exc
        if done.returncode != 0:
            raise TokenError(f"postbud token failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout.strip()

    def __call__(self) -> str:
        return self._cached.get()


def _postbud_command() -> list[str]:
    beside = Path(sys.executable).with_name("postbud")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("postbud")
    if found is None:
        raise TokenError("the postbud command is not installed here; pass command=[...] or use StaticToken")
    return [found]


class MaskinportenToken:
    """A Maskinporten access token for a client, by the JWT-bearer grant (RFC 7523).

    The client assertion is signed (RS256) with ``private_key_pem`` and names ``client_id``,
    ``scopes`` and the token endpoint's issuer as audience, living 120 seconds. For Postbud's sandbox
    endpoint (``{base URL}/maskinporten/token``) the client id is the sender's organisation number and
    the key the one of its registered certificate.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        private_key_pem: bytes | str,
        scopes: Sequence[str],
        *,
        kid: str | None = None,
        audience: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._url = token_url
        self._client_id = client_id
        self._key = private_key_pem.encode() if isinstance(private_key_pem, str) else private_key_pem
        self._scope = " ".join(scopes)
        self._kid = kid
        self._audience = audience or token_url.rsplit("/", 1)[0] + "/"
        self._timeout = timeout
        self._cached = _Cached(self._login)

    def assertion(self) -> str:
        now = int(time.time())
        claims = {
            "aud": self._audience,
            "iss": self._client_id,
            "scope": self._scope,
            "iat": now,
            "exp": now + 120,
            "jti": str(uuid.uuid4()),
        }
        headers = {"kid": self._kid} if self._kid else None
        return jwt.encode(claims, serialization.load_pem_private_key(self._key, None), "RS256", headers)  # type: ignore[arg-type]

    def _login(self) -> str:
        form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": self.assertion()}
        try:
            response = httpx2.post(
                self._url, data=form, headers={"Accept": "application/json"}, timeout=self._timeout
            )
        except httpx2.TransportError as exc:
            raise TokenError(f"Maskinporten login at {self._url} failed: {exc}") from exc
        if response.status_code != 200:
            raise TokenError(
                f"Maskinporten login at {self._url} answered {response.status_code}: {response.text[:300]}"
            )
        token = response.json().get("access_token")
        if not isinstance(token, str):
            raise TokenError(f"Maskinporten login at {self._url} gave no access_token")
        return token

    def __call__(self) -> str:
        return self._cached.get()


class MaskinportenExchange:
    """An Altinn token for the Maskinporten token ``maskinporten()`` gives, exchanged at ``platform_url``.

    ``platform_url`` is ``https://platform.tt02.altinn.no`` (or ``platform.altinn.no``) for Altinn,
    Postbud's own base URL for Postbud.
    """

    def __init__(self, platform_url: str, maskinporten: TokenProvider, *, timeout: float = 30.0) -> None:
        self._url = platform_url.rstrip("/") + "/authentication/api/v1/exchange/maskinporten"
        self._maskinporten = maskinporten
        self._timeout = timeout
        self._cached = _Cached(self._exchange)

    def _exchange(self) -> str:
        headers = {"Authorization": f"Bearer {self._maskinporten()}", "Accept": "text/plain"}
        try:
            response = httpx2.get(self._url, headers=headers, timeout=self._timeout)
        except httpx2.TransportError as exc:
            raise TokenError(f"token exchange at {self._url} failed: {exc}") from exc
        if response.status_code != 200:
            raise TokenError(
                f"token exchange at {self._url} answered {response.status_code}: {response.text[:300]}"
            )
        token = response.text.strip()
        return token[1:-1] if token.startswith('"') and token.endswith('"') else token

    def __call__(self) -> str:
        return self._cached.get()
