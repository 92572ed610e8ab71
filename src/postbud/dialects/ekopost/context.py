"""What an Ekopost request handler is given: the runtime and the authenticated customer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from postbud.domain.parties import Sender
from postbud.services.runtime import Runtime

DIALECT = "ekopost"
BODY_SLACK = 64 * 1024
"""JSON around a content's base64 data (names, address, other fields)."""


@dataclass(frozen=True, slots=True)
class Call:
    runtime: Runtime
    sender: Sender

    @property
    def body_limit(self) -> int:
        """The largest request: a content of the largest document, base64-encoded, in its JSON."""
        return self.runtime.settings.max_document_bytes * 4 // 3 + 4 + BODY_SLACK


RuntimeOf = Callable[[], Runtime]
