"""Signed XML responses: every answer of the dialect carries Date, X-Content-SHA256 and a signature."""

from __future__ import annotations

from urllib.parse import unquote

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.schema import SchemaVersion
from postbud.dialects.digipost.signing import sign_response_headers

MEDIA_TYPE = {7: "application/vnd.digipost-v7+xml", 8: "application/vnd.digipost-v8+xml"}


def negotiated_version(request: Request) -> SchemaVersion:
    """v7 for a client that asks for v7 (or, saying nothing of what it accepts, sends v7), v8 otherwise."""
    accept = request.headers.get("accept", "").lower()
    if "digipost-v" not in accept:
        accept = request.headers.get("content-type", "").lower()
    return 7 if "digipost-v7" in accept else 8


def request_path(request: Request) -> str:
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and raw:
        return raw.decode("latin-1").partition("?")[0]
    return str(request.scope.get("root_path", "")) + str(request.scope["path"])


_DECODED_PATH = "postbud.digipost.sign_decoded_path"


def sign_over_decoded_path(request: Request) -> None:
    """Have this request's response (answer or error) signed over the percent-decoded path, which is
    what the Java client verifies for search and autocomplete."""
    request.scope[_DECODED_PATH] = True


def response_path(request: Request) -> str:
    path = request_path(request)
    return unquote(path) if request.scope.get(_DECODED_PATH) else path


def signed(
    dialect: DigipostDialect,
    request: Request,
    body: bytes,
    *,
    status: int = 200,
    media_type: str = MEDIA_TYPE[8],
    extra_headers: dict[str, str] | None = None,
) -> Response:
    headers = sign_response_headers(
        status=status,
        request_path=response_path(request),
        body=body,
        private_key=dialect.server_key.private_key,
        now=dialect.runtime.wall_clock.now(),  # clients check Date within ±5 minutes of theirs
    )
    headers.update(extra_headers or {})
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def xml_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def error_response(dialect: DigipostDialect, request: Request, error: DigipostError) -> Response:
    """The ``error`` element in the schema version the client speaks."""
    version = negotiated_version(request)
    return signed(
        dialect, request, error.to_xml(version), status=error.status, media_type=MEDIA_TYPE[version]
    )
