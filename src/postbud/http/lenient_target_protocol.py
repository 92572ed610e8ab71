"""uvicorn's HTTP/1.1 protocol (h11), reading a request line whose target has letters outside ASCII
or is in absolute form.

h11 and httptools both refuse such a request with a bare ``400`` before the app sees it, so a
Digipost search by the official Java client for "Åse" (which arrives as ``GET
/digipost/recipients/search/\\xc5se``) never reached the dialect. A real service reads it (see
``postbud.http.request_target``), and so does this protocol: when a request line that has not been
parsed yet carries such bytes, it is handed to h11 with the target percent-encoded, and the app gets
the path the client meant, the query percent-encoded, and ``raw_path`` as it came over the wire
(ASGI: "the original HTTP path component, unmodified"), which is what a Digipost client signs.

A target in absolute form (``GET http://host/path HTTP/1.1``, as a client that takes Postbud for a
proxy sends it) is served as its origin form (``/path``); a request without a ``Host`` header gets
the target's authority as its Host (RFC 9112 §3.2.2: the target's authority is the host).

A request line in origin form and ASCII costs one look at the unparsed bytes before each request.
Requests pipelined behind one another are mended alike, each when its turn comes.
"""

from __future__ import annotations

import re
from typing import Any, cast

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.protocols.http.h11_impl import H11Protocol

from postbud.http.request_target import RAW_QUERY, ascii_target, origin_form

_ABSOLUTE_FORM = re.compile(rb"[!-~]+ (?i:https?)://")
_HOST_HEADER = re.compile(rb"\r?\n[Hh][Oo][Ss][Tt][ \t]*:")


class LenientTargetH11Protocol(H11Protocol):
    def handle_events(self) -> None:
        received = self._mend_request_line() if self._between_requests() else None
        before = self.scope
        super().handle_events()
        if received is not None and self.scope is not before:
            path, mark, query = received.partition(b"?")
            self.scope["raw_path"] = self.root_path.encode("ascii") + path
            if mark:  # query_string is percent-encoded; a signature may be over the query as it came
                cast(dict[str, Any], self.scope)[RAW_QUERY] = query

    def _between_requests(self) -> bool:
        return self.conn.their_state is h11.IDLE and self.conn.our_state is h11.IDLE

    def _mend_request_line(self) -> bytes | None:
        """The target as received (in origin form), when the next request line had letters outside
        ASCII or an absolute-form target (h11 is then given the line in origin form, percent-encoded);
        None when there is nothing to mend."""
        unparsed, closed = self.conn.trailing_data
        end = unparsed.find(b"\n")
        if end < 0:
            return None
        line = unparsed[:end]
        absolute = _ABSOLUTE_FORM.match(line) is not None
        if line.isascii() and not absolute:
            return None
        parts = line.split(b" ")
        if len(parts) != 3:
            return None  # not a request line h11 would take anyway: let it answer 400
        method, target, version = parts
        rest = unparsed[end:]  # from the request line's "\n" on
        if absolute:
            head_end = unparsed.find(b"\r\n\r\n")
            if head_end < 0:
                return None  # the Host decision needs the whole head; h11 waits for it too
            authority, target = origin_form(target)
            if authority and _HOST_HEADER.search(unparsed, end - 1, head_end + 2) is None:
                rest = b"\nHost: " + authority + b"\r" + rest
        mended = h11.Connection(h11.SERVER, self._max_incomplete_event_size())
        mended.receive_data(b" ".join((method, ascii_target(target), version)) + rest)
        if closed:
            mended.receive_data(b"")
        self.conn = mended
        return target

    def _max_incomplete_event_size(self) -> int:
        size = self.config.h11_max_incomplete_event_size
        return size if size is not None else DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
