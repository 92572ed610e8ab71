"""Digipost request/response signatures (reference digipost.md §2).

Pure functions over strings, bytes and keys; the web layer and the SDK adapt their own request and
response objects to these.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

__all__ = [
    "DEFAULT_MAX_SKEW",
    "DIGIPOST_SIGNED_HEADERS",
    "EMPTY_BODY_SHA256",
    "RequestCheckFailed",
    "ResponseVerificationFailed",
    "SignedRequest",
    "UnknownBroker",
    "check_request",
    "check_signed_request",
    "content_sha256",
    "http_date",
    "parse_http_date",
    "request_string_to_sign",
    "response_string_to_sign",
    "sign",
    "sign_response_headers",
    "verify",
    "verify_response",
]

DIGIPOST_SIGNED_HEADERS = ("content-md5", "date", "x-content-sha256", "x-digipost-userid")
DEFAULT_MAX_SKEW = timedelta(minutes=5)

_USER_ID = "x-digipost-userid"
_DATE = "date"
_SHA256 = "x-content-sha256"
_SIGNATURE = "x-digipost-signature"


# --- canonical strings -------------------------------------------------------------------------


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _signed_header_lines(headers: Mapping[str, str]) -> str:
    present = _lower_keys(headers)
    # DIGIPOST_SIGNED_HEADERS is already in alphabetical order (Java sorts with a TreeMap).
    return "".join(f"{name}: {present[name]}\n" for name in DIGIPOST_SIGNED_HEADERS if name in present)


def request_string_to_sign(method: str, path: str, headers: Mapping[str, str], query: str) -> str:
    """METHOD, lower-cased path, present signed headers, lower-cased raw query; each line LF-terminated."""
    return f"{method.upper()}\n{path.lower()}\n{_signed_header_lines(headers)}{query.lower()}\n"


def response_string_to_sign(status: int, path: str, headers: Mapping[str, str]) -> str:
    """Status, lower-cased request path (query stripped), present signed headers; no query line."""
    bare_path = path.partition("?")[0]
    return f"{status}\n{bare_path.lower()}\n{_signed_header_lines(headers)}"


# --- primitives --------------------------------------------------------------------------------


def content_sha256(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


EMPTY_BODY_SHA256 = content_sha256(b"")


def sign(private_key: RSAPrivateKey, string_to_sign: str) -> str:
    signature = private_key.sign(string_to_sign.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode("ascii")


def verify(public_key: RSAPublicKey, string_to_sign: str, signature_b64: str) -> bool:
    try:
        signature = base64.b64decode(signature_b64.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        public_key.verify(signature, string_to_sign.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


# --- dates -------------------------------------------------------------------------------------

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RFC1123 = re.compile(
    r"(?P<wd>[A-Z][a-z]{2}), (?P<d>\d{1,2}) (?P<mon>[A-Z][a-z]{2}) (?P<y>\d{4}) "
    r"(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2}) (?P<zone>GMT|UTC|[+-]\d{4})",
    re.ASCII,
)


def _require_aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return value


def http_date(now: datetime | None = None) -> str:
    """RFC 1123 date in GMT, English names regardless of locale, e.g. ``Wed, 29 Jun 2011 14:58:11 GMT``."""
    moment = datetime.now(UTC) if now is None else _require_aware(now, "now").astimezone(UTC)
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def parse_http_date(value: str) -> datetime:
    """Parse an RFC 1123 date (``GMT`` or a numeric offset, as Java's RFC_1123 parser allows).

    Raises ValueError for anything else, including a weekday that does not match the date.
    """
    match = _RFC1123.fullmatch(value.strip())
    if match is None or match["wd"] not in _WEEKDAYS or match["mon"] not in _MONTHS:
        raise ValueError(f"not an RFC 1123 date: {value!r}")
    zone = match["zone"]
    offset = timedelta(0)
    if zone[0] in "+-":
        sign_ = 1 if zone[0] == "+" else -1
        offset = sign_ * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    try:
        naive = datetime(
            int(match["y"]),
            _MONTHS.index(match["mon"]) + 1,
            int(match["d"]),
            int(match["h"]),
            int(match["mi"]),
            int(match["s"]),
        )
    except ValueError:
        raise ValueError(f"not an RFC 1123 date: {value!r}") from None
    parsed = (naive - offset).replace(tzinfo=UTC)
    if _WEEKDAYS[naive.weekday()] != match["wd"]:
        raise ValueError(f"weekday does not match date: {value!r}")
    return parsed


# --- server side: checking a client's request --------------------------------------------------


class RequestCheckFailed(Exception):
    """A request failed authentication; carries what goes into the Digipost ``error`` element."""

    def __init__(
        self, code: str, message: str, http_status: int = 400, error_type: str = "CLIENT_TECHNICAL"
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status
        self.error_type = error_type


class UnknownBroker(LookupError):
    """Raised by a ``public_key_for`` callback when the broker id is not a known account."""


_BROKER_ID = re.compile(r"[0-9]{1,18}", re.ASCII)


def _broker_id(headers: Mapping[str, str]) -> int:
    raw = headers.get(_USER_ID)
    if raw is None or _BROKER_ID.fullmatch(raw.strip()) is None:
        raise RequestCheckFailed(
            "INVALID_USER_ID_HEADER", "X-Digipost-UserId must be present and hold a numeric broker id."
        )
    return int(raw.strip())


def _check_date(headers: Mapping[str, str], now: datetime, max_skew: timedelta) -> None:
    raw = headers.get(_DATE)
    if raw is None or not raw.strip():
        raise RequestCheckFailed("MISSING_DATE_HEADER", "The Date header is missing.")
    try:
        sent = parse_http_date(raw)
    except ValueError:
        raise RequestCheckFailed(
            "INVALID_DATE_HEADER",
            f"The Date header {raw!r} is not an RFC 1123 date such as 'Wed, 29 Jun 2011 14:58:11 GMT'.",
        ) from None
    if abs(_require_aware(now, "now") - sent) > max_skew:
        raise RequestCheckFailed(
            "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL",
            f"The Date header {raw!r} differs from the server time {http_date(now)!r} by more than "
            f"{int(max_skew.total_seconds())} seconds.",
        )


def _check_body_hash(headers: Mapping[str, str], body_sha256_b64: str | None) -> None:
    received = headers.get(_SHA256)
    has_body = body_sha256_b64 is not None and body_sha256_b64 != EMPTY_BODY_SHA256
    if received is None:
        if has_body:
            raise RequestCheckFailed(
                "MISSING_SHA256", "A request with a body must carry an X-Content-SHA256 header."
            )
        return
    expected = EMPTY_BODY_SHA256 if body_sha256_b64 is None else body_sha256_b64
    if not hmac.compare_digest(received.strip().encode("ascii", "replace"), expected.encode("ascii")):
        raise RequestCheckFailed(
            "INVALID_SHA256", "X-Content-SHA256 does not match the SHA-256 of the request body."
        )


def _invalid_signature(canonical: str) -> RequestCheckFailed:
    return RequestCheckFailed(
        "INVALID_SIGNATURE",
        "The X-Digipost-Signature header does not verify against the registered certificate. "
        "The server signed this string:\n===START===\n" + canonical + "===SLUTT===",
        403,
    )


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """A request that passed the checks: its broker, and whether the client signed the
    percent-decoded form of a path whose raw form differs (§2.3)."""

    broker_id: int
    signed_decoded_path: bool = False


def check_request(
    *,
    method: str,
    raw_path: str,
    query: str,
    headers: Mapping[str, str],
    body_sha256_b64: str | None,
    public_key_for: Callable[[int], RSAPublicKey | None],
    now: datetime,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
) -> int:
    """Authenticate a request as Digipost does (§2.4) and return the verified broker id.

    ``raw_path`` is the path as received (percent-encoded, no query); ``query`` the raw query string
    without ``?``. ``body_sha256_b64`` is :func:`content_sha256` of the raw body bytes, or None when
    there is no body. ``public_key_for`` returns the broker's registered key, None when the broker has
    no certificate, and raises :class:`UnknownBroker` for an unknown id.
    """
    return check_signed_request(
        method=method,
        raw_path=raw_path,
        query=query,
        headers=headers,
        body_sha256_b64=body_sha256_b64,
        public_key_for=public_key_for,
        now=now,
        max_skew=max_skew,
    ).broker_id


def check_signed_request(
    *,
    method: str,
    raw_path: str,
    query: str,
    headers: Mapping[str, str],
    body_sha256_b64: str | None,
    public_key_for: Callable[[int], RSAPublicKey | None],
    now: datetime,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
) -> SignedRequest:
    """:func:`check_request`, also telling which form of the path the client signed."""
    lowered = _lower_keys(headers)
    broker_id = _broker_id(lowered)
    try:
        public_key = public_key_for(broker_id)
    except UnknownBroker:
        raise RequestCheckFailed(
            "UNKNOWN_USER_ID", f"No Digipost account with id {broker_id}.", 403
        ) from None
    _check_date(lowered, now, max_skew)
    _check_body_hash(lowered, body_sha256_b64)

    signature = lowered.get(_SIGNATURE, "").strip()
    if not signature:
        raise RequestCheckFailed("MISSING_SIGNATURE", "The X-Digipost-Signature header is missing.")
    if public_key is None:
        raise RequestCheckFailed(
            "MISSING_CERTIFICATE",
            "No certificate found. Please upload a certificate for the broker account.",
            403,
            "CONFIGURATION",
        )

    path = raw_path.partition("?")[0]
    canonical = request_string_to_sign(method, path, lowered, query)
    if verify(public_key, canonical, signature):
        return SignedRequest(broker_id)
    # Clients disagree on whether the signed path is percent-encoded (§2.3); accept both forms.
    decoded = unquote(path)
    if decoded != path:
        decoded_canonical = request_string_to_sign(method, decoded, lowered, query)
        if verify(public_key, decoded_canonical, signature):
            return SignedRequest(broker_id, signed_decoded_path=True)
    raise _invalid_signature(canonical)


# --- server side: signing a response -----------------------------------------------------------


def sign_response_headers(
    *,
    status: int,
    request_path: str,
    body: bytes,
    private_key: RSAPrivateKey,
    now: datetime | None = None,
) -> dict[str, str]:
    """Headers (lower-case names) that make a response pass the Java client's checks (§2.5).

    Emit them exactly once and with these names; a second ``Date`` from the HTTP server breaks
    verification.
    """
    headers = {"date": http_date(now)}
    if body:
        headers["x-content-sha256"] = content_sha256(body)
    canonical = response_string_to_sign(status, request_path, headers)
    headers["x-digipost-signature"] = sign(private_key, canonical)
    return headers


# --- client side: verifying a response ---------------------------------------------------------


class ResponseVerificationFailed(Exception):
    """The server's response is not authentic; the Java client reports SERVER_SIGNATURE_ERROR."""

    code = "SERVER_SIGNATURE_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def verify_response(
    *,
    status: int,
    request_path: str,
    headers: Mapping[str, str],
    body: bytes,
    public_key: RSAPublicKey | None,
    now: datetime,
    max_skew: timedelta = DEFAULT_MAX_SKEW,
    expect_signature: bool = True,
) -> None:
    """Check a response like the Java client's interceptors: date, body hash, then signature.

    Pass ``expect_signature=False`` only for the root entrypoint fetch (its certificate is not known
    yet); date and hash are still checked.
    """
    lowered = _lower_keys(headers)
    raw_date = lowered.get(_DATE)
    if raw_date is None:
        raise ResponseVerificationFailed("The response has no Date header.")
    try:
        sent = parse_http_date(raw_date)
    except ValueError:
        raise ResponseVerificationFailed(f"The response Date header {raw_date!r} is not RFC 1123.") from None
    if abs(_require_aware(now, "now") - sent) > max_skew:
        raise ResponseVerificationFailed(f"The response Date {raw_date!r} is outside the accepted interval.")

    received_hash = lowered.get(_SHA256)
    if body:
        if received_hash is None:
            raise ResponseVerificationFailed("The response has a body but no X-Content-SHA256 header.")
        if received_hash.strip() != content_sha256(body):
            raise ResponseVerificationFailed("X-Content-SHA256 does not match the response body.")

    if not expect_signature:
        return
    signature = lowered.get(_SIGNATURE)
    if not signature:
        raise ResponseVerificationFailed("The response has no X-Digipost-Signature header.")
    if public_key is None:
        raise ResponseVerificationFailed("No server certificate is known; cannot verify the response.")
    if not verify(public_key, response_string_to_sign(status, request_path, lowered), signature):
        raise ResponseVerificationFailed("X-Digipost-Signature does not verify with the server certificate.")
