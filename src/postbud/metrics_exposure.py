"""Who may read ``/metrics`` (``POSTBUD_METRICS``): its counts tell the volume of letters per channel.

``loopback`` serves callers on this host only: a peer with a loopback address (or no network address
at all: a Unix socket, an in-process caller), and never a request that a proxy forwarded, since a
proxy on this host would otherwise hand the metrics to anyone it serves. ``token`` asks for
``Authorization: Bearer <POSTBUD_METRICS_TOKEN>`` (the admin token when that is unset). ``public``
serves everyone, ``off`` no one. ``auto``, the default, is loopback while Postbud listens on a
loopback address and token otherwise.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from typing import Literal

from postbud.config import Settings

Exposure = Literal["loopback", "token", "public", "off"]

_FORWARDED_BY_A_PROXY = ("forwarded", "x-forwarded-for", "x-real-ip")


def exposure(settings: Settings) -> Exposure:
    if settings.metrics != "auto":
        return settings.metrics
    return "loopback" if is_loopback(settings.host) else "token"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _local_peer(client_host: str | None) -> bool:
    if client_host is None:
        return True
    try:
        ipaddress.ip_address(client_host.strip("[]"))
    except ValueError:
        return True  # not a network peer
    return is_loopback(client_host)


def refusal(
    mode: Exposure, *, client_host: str | None, headers: Mapping[str, str], token: str
) -> tuple[int, str] | None:
    """None when the caller may read the metrics, else the status and the reason to answer with.
    ``headers``: the request's, by lower-case name."""
    if mode == "public":
        return None
    if mode == "off":
        return 404, "Not Found"
    if mode == "loopback":
        if _local_peer(client_host) and not any(name in headers for name in _FORWARDED_BY_A_PROXY):
            return None
        return 403, "metrics are served to callers on this host only (POSTBUD_METRICS=loopback)"
    scheme, _, given = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return None
    return 401, "metrics need a bearer token (POSTBUD_METRICS=token)"
