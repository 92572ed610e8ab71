"""Reading requests the way ASP.NET binds them: a JSON body, a multipart form as the same tree
(dotted, indexed, case-insensitive keys), a GUID in the path, and the Accept rule (§1)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from postbud.dialects.altinn.errors import FrameworkProblem, Invalid, PlainError, ValidationProblem, invalid
from postbud.dialects.altinn.initialize import Upload
from postbud.dialects.altinn.wire import parse_guid

JSON_TYPES = ("application/json", "text/json", "application/*+json")
_SEGMENT = re.compile(r"([^\[\]]+)((?:\[\d+\])*)")
_BOOLEAN_FIELDS = frozenset(
    {"isconfirmationneeded", "ignorereservation", "isconfidential", "allowforwarding", "isencrypted",
     "sendreminder", "overrideregisteredcontactinformation", "isreserved"}
)  # fmt: skip
_INTEGER_FIELDS = frozenset({"expirationindays"})
FORM_PREFIX = "request."
"""The k6 use-case test names its form keys after the action's parameter: ``request.Correspondence.…``."""


def check_accept(request: Request, produces: Iterable[str]) -> None:
    """406 when an Accept header names none of the endpoint's types nor ``*/*`` (q-values ignored)."""
    header = request.headers.get("accept")
    if not header:
        return
    offered = [t.split(";")[0].strip().lower() for t in header.split(",") if t.strip()]
    for wanted in offered:
        if wanted == "*/*":
            return
        main = wanted.split("/")[0]
        for produced in produces:
            if wanted == produced or (wanted == f"{main}/*" and produced.startswith(f"{main}/")):
                return
    raise PlainError(406, f"None of the accepted types ({header}) is produced here: {', '.join(produces)}")


def path_guid(request: Request, name: str) -> uuid.UUID:
    raw = str(request.path_params[name])
    guid = parse_guid(raw)
    if guid is None:
        raise invalid(name, f"The value '{raw}' is not valid.")
    return guid


async def json_body(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (content_type in JSON_TYPES[:2] or content_type.endswith("+json")):
        raise unsupported_media_type()
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationProblem([Invalid("$", f"The JSON value could not be read: {exc}")]) from None
    except RecursionError:
        raise ValidationProblem([Invalid("$", "The JSON value is nested too deeply to be read.")]) from None
    if not isinstance(body, dict):
        raise ValidationProblem([Invalid("request", "The request field is required.")])
    return body


def unsupported_media_type() -> FrameworkProblem:
    return FrameworkProblem(415)


def _leaf(name: str, value: str) -> Any:
    lowered = name.lower()
    if value == "":
        return None
    if lowered in _BOOLEAN_FIELDS and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    if lowered in _INTEGER_FIELDS and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return value


def _put(tree: dict[str, Any], key: str, value: str) -> None:
    path = key[len(FORM_PREFIX) :] if key.lower().startswith(FORM_PREFIX) else key
    node: Any = tree
    segments = path.split(".")
    steps: list[str | int] = []
    for segment in segments:
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            return
        steps.append(match[1])
        steps.extend(int(i) for i in re.findall(r"\[(\d+)\]", match[2]))
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        key_of: str | int = (
            step.lower() if isinstance(step, str) and not _in_property_list(steps, i) else step
        )
        if last:
            node[key_of] = _leaf(str(steps[-1]) if isinstance(steps[-1], str) else "", value)
        else:
            node = node.setdefault(key_of, {})


def _in_property_list(steps: list[str | int], index: int) -> bool:
    """Keys under ``propertyList`` keep their case: they are the sender's own."""
    return index > 0 and isinstance(steps[index - 1], str) and str(steps[index - 1]).lower() == "propertylist"


def _lists(node: Any) -> Any:
    """Index-keyed objects (``recipients[0]``) become lists, in index order."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_lists(node[k]) for k in sorted(node)]
    return {k: _lists(v) for k, v in node.items()}


def form_tree(fields: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Form fields as the JSON tree they stand for (``a.b[0].c`` → ``{"a": {"b": [{"c": …}]}}``)."""
    tree: dict[str, Any] = {}
    for key, value in fields:
        _put(tree, key, value)
    built: dict[str, Any] = _lists(tree)
    return built


async def form_body(request: Request) -> tuple[dict[str, Any], list[Upload]]:
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith("multipart/form-data"):
        raise unsupported_media_type()
    try:
        form = await request.form(max_files=1000, max_fields=10000)
    except Exception as exc:  # python-multipart's parse errors have no common base
        raise ValidationProblem([Invalid("$", f"The form could not be read: {exc}")]) from None
    fields: list[tuple[str, str]] = []
    uploads: list[Upload] = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            if key.lower() in {"attachments", f"{FORM_PREFIX}attachments"}:
                uploads.append(Upload(value.filename or "", await value.read()))
        else:
            fields.append((key, value))
    return form_tree(fields), uploads
