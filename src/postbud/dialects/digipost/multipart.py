"""Streaming parser for the multipart bodies Digipost clients send (``multipart/vnd.digipost-v8+xml``).

These are not ``multipart/form-data``: parts carry ``Content-Disposition: attachment;
filename=<document uuid>`` (quoted by the Java client, bare by the .NET client). The body is fed
chunk by chunk, so the caller can hash the raw bytes in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

# RFC 2046 allows 70 characters; python-multipart refuses more than 256 with an exception of its own
# in its constructor, so a longer boundary is refused here, as the dialect's own error.
MAX_BOUNDARY_LENGTH = 256


class MultipartInvalid(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(slots=True)
class Part:
    headers: dict[str, str] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "application/octet-stream").split(";")[0].strip().lower()

    @property
    def filename(self) -> str | None:
        disposition = self.headers.get("content-disposition")
        if disposition is None:
            return None
        _, params = parse_options_header(disposition.encode("latin-1"))
        name = params.get(b"filename")
        return name.decode("utf-8", "replace").strip() if name else None


def boundary_of(content_type: str) -> str:
    kind, params = parse_options_header(content_type.encode("latin-1"))
    if not kind.startswith(b"multipart/"):
        raise MultipartInvalid("ILLEGAL_CONTENT_TYPE", f"expected a multipart body, got {kind.decode()!r}")
    boundary = params.get(b"boundary")
    if not boundary:
        raise MultipartInvalid("PROBLEM_WITH_REQUEST", "the multipart Content-Type has no boundary")
    if len(boundary) > MAX_BOUNDARY_LENGTH:
        raise MultipartInvalid(
            "PROBLEM_WITH_REQUEST",
            f"the multipart boundary has {len(boundary)} characters; at most {MAX_BOUNDARY_LENGTH} allowed",
        )
    return boundary.decode("latin-1")


class MultipartReader:
    """Collects parts in memory, with limits on the number of parts and on each part's size."""

    def __init__(self, boundary: str, *, max_parts: int, max_part_bytes: int) -> None:
        self.parts: list[Part] = []
        self._max_parts = max_parts
        self._max_part_bytes = max_part_bytes
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._ended = False
        self._parser = MultipartParser(
            boundary,
            callbacks={
                "on_part_begin": self._part_begin,
                "on_part_data": self._part_data,
                "on_header_field": self._header_field_data,
                "on_header_value": self._header_value_data,
                "on_header_end": self._header_end,
                "on_end": self._end,
            },
            max_header_count=16,
        )

    def _part_begin(self) -> None:
        if len(self.parts) >= self._max_parts:
            raise MultipartInvalid("DOCUMENTS_AND_FILES_MISMATCH", f"more than {self._max_parts} body parts")
        self.parts.append(Part())

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        body = self.parts[-1].body
        if len(body) + (end - start) > self._max_part_bytes:
            raise MultipartInvalid(
                "FILE_TOO_LARGE", f"a body part is larger than {self._max_part_bytes} bytes"
            )
        body += data[start:end]

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        name = self._header_field.decode("latin-1").strip().lower()
        self.parts[-1].headers[name] = self._header_value.decode("latin-1").strip()
        self._header_field.clear()
        self._header_value.clear()

    def _end(self) -> None:
        self._ended = True

    def feed(self, chunk: bytes) -> None:
        try:
            self._parser.write(chunk)
        except MultipartInvalid:
            raise
        except Exception as exc:  # python-multipart raises its own errors for malformed bodies
            raise MultipartInvalid("PROBLEM_WITH_REQUEST", f"malformed multipart body: {exc}") from exc

    def finish(self) -> list[Part]:
        self._parser.finalize()
        if not self._ended:
            raise MultipartInvalid(
                "PROBLEM_WITH_REQUEST", "the multipart body ends without its closing boundary"
            )
        return self.parts
