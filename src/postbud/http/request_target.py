"""A request target as some clients put it on the request line: with letters outside ASCII, or in
absolute form.

RFC 9112 allows only ASCII there, so such letters ought to arrive percent-encoded. Digipost's Java
client 18.x writes them as they are: Apache HttpClient 5 puts each character of the path into one
byte, so ``search("Åse")`` arrives as ISO-8859-1 (``/recipients/search/\\xc5se``), and other clients
send UTF-8. A server in front of a real service reads them the way Jetty does: as UTF-8 when the
bytes are UTF-8, else as ISO-8859-1. The text is then percent-decoded as any path is.

A client talking to Postbud as to a proxy (Guzzle's ``proxy`` option, ``curl --proxy``) writes the
target in absolute form, ``http://api.sandbox.ekopost.se/campaigns``, which a server must accept
(RFC 9112 §3.2.2); Postbud serves it as its origin form, ``/campaigns``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

# Everything a request target may carry as it is (RFC 3986 reserved and unreserved, and "%"): only
# the letters outside ASCII are escaped.
RAW_QUERY = "postbud.raw_query"
"""ASGI scope key: the query as it came over the wire, when the request line had to be mended (its
``query_string`` is then percent-encoded)."""

_KEPT_AS_SENT = "".join(chr(code) for code in range(0x21, 0x7F))
_ABSOLUTE = re.compile(rb"(?i)https?://(?P<authority>[^/?#]*)(?P<rest>.*)", re.DOTALL)


def target_text(raw: bytes) -> str:
    """The characters a client meant by these bytes of a request target (escapes left as they are)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def ascii_target(raw: bytes) -> bytes:
    """The same target with each letter outside ASCII percent-encoded as UTF-8, as RFC 3986 has it.

    ``ascii_target(b"/s/\\xc5se%20x?q=\\xc3\\xa6")`` is ``b"/s/%C3%85se%20x?q=%C3%A6"``: the path
    and the query are read apart, so a query in UTF-8 behind a path in ISO-8859-1 keeps its letters.
    """
    path, mark, query = raw.partition(b"?")
    parts = [quote(target_text(path), safe=_KEPT_AS_SENT).encode("ascii")]
    if mark:
        parts += [b"?", quote(target_text(query), safe=_KEPT_AS_SENT).encode("ascii")]
    return b"".join(parts)


def origin_form(target: bytes) -> tuple[bytes | None, bytes]:
    """(authority, origin-form target) of an absolute-form target; (None, target) of any other.

    ``origin_form(b"http://h:8/a?q=1")`` is ``(b"h:8", b"/a?q=1")``; an empty path is ``/``.
    """
    absolute = _ABSOLUTE.fullmatch(target)
    if absolute is None:
        return None, target
    rest = absolute["rest"]
    return absolute["authority"], rest if rest.startswith(b"/") else b"/" + rest


def query_as_sent(scope: Mapping[str, Any]) -> str | None:
    """The query as the client wrote it, when that differs from ``query_string`` (else None)."""
    raw = scope.get(RAW_QUERY)
    return target_text(raw) if isinstance(raw, bytes) else None
