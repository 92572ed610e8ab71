"""Signed XML responses: every answer of the dialect carries Date, X-Content-SHA256 and a signature."""

from __future__ import annotations

from urllib.parse import quote, unquote

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.schema import SchemaVersion
from postbud.dialects.digipost.signing import sign_response_headers
from postbud.http.request_target import target_text

MEDIA_TYPE = {7: "application/vnd.digipost-v7+xml", 8: "application/vnd.digipost-v8+xml"}


def negotiated_version(request: Request) -> SchemaVersion:
    """v7 for a client that asks for v7 (or, saying nothing of what it accepts, sends v7), v8 otherwise."""
    accept = request.headers.get("accept", "").lower()
    if "digipost-v" not in accept:
        accept = request.headers.get("content-type", "").lower()
    return 7 if "digipost-v7" in accept else 8


def request_path(request: Request) -> str:
    """The path as the client wrote it: escapes kept, letters outside ASCII as it meant them."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes) and raw:
        return target_text(raw).partition("?")[0]
    return str(request.scope.get("root_path", "")) + str(request.scope["path"])


_SIGNED_RAW_PATH = "postbud.digipost.client_signed_raw_path"


def remember_signed_path_form(request: Request, *, signed_decoded_path: bool) -> None:
    """Note which form of the path the client signed its request over, once that has verified."""
    request.scope[_SIGNED_RAW_PATH] = not signed_decoded_path


def response_path(request: Request) -> str:
    """The path a response is signed over: the one this client will verify against.

    The official Java client signs one form of the path and verifies the response over the other
    (reference §2.3, only different where the path has escapes, as a search query does): up to
    16.4.2 (Apache HttpClient 4) it signs the raw path and verifies over the decoded one; from
    16.4.3 (HttpClient 5) it signs the decoded path and verifies over the raw one. So a request
    signed over the raw path is answered over the decoded path, and every other response (signed
    over the decoded path, or not verified at all) over the raw path, as the current client expects.
    """
    path = request_path(request)
    return unquote(path) if request.scope.get(_SIGNED_RAW_PATH) else path


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


def signed_file(
    dialect: DigipostDialect,
    request: Request,
    body: bytes,
    *,
    filename: str,
    media_type: str,
    disposition: str = "attachment",
    extra_headers: dict[str, str] | None = None,
) -> Response:
    """A document's bytes under ``filename``, never run as a page of this server's origin (an HTML
    letter must not run script here) and never cached."""
    headers = {
        "content-disposition": f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}",
        "content-security-policy": "sandbox",
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
        **(extra_headers or {}),
    }
    return signed(dialect, request, body, media_type=media_type, extra_headers=headers)


def xml_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def error_response(dialect: DigipostDialect, request: Request, error: DigipostError) -> Response:
    """The ``error`` element in the schema version the client speaks."""
    version = negotiated_version(request)
    return signed(
        dialect, request, error.to_xml(version), status=error.status, media_type=MEDIA_TYPE[version]
    )
