"""CloudEvents 1.0 in structured JSON mode: one event is one ``application/cloudevents+json`` document.

See https://github.com/cloudevents/spec (``spec.md`` and ``formats/json-format.md``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

MEDIA_TYPE = "application/cloudevents+json"
SPEC_VERSION = "1.0"
REQUIRED = ("id", "source", "specversion", "type")
# Attribute names are lower-case letters and digits only (spec: "Attribute Naming Convention").
_ATTRIBUTE_NAME = re.compile(r"[a-z0-9]+")


class InvalidCloudEvent(ValueError):
    """A renderer produced something that is not a CloudEvents 1.0 document."""


def cloud_event(
    *,
    id: str,
    source: str,
    type: str,
    time: datetime | None = None,
    subject: str | None = None,
    data: Any = None,
    **extensions: str,
) -> dict[str, Any]:
    """A structured-mode event; ``data`` (if any) is JSON, ``extensions`` are further attributes."""
    event: dict[str, Any] = {"specversion": SPEC_VERSION, "id": id, "source": source, "type": type}
    if time is not None:
        event["time"] = time.isoformat()
    if subject is not None:
        event["subject"] = subject
    event.update(extensions)
    if data is not None:
        event["datacontenttype"] = "application/json"
        event["data"] = data
    return checked(event)


def checked(event: Mapping[str, Any]) -> dict[str, Any]:
    """``event`` if it holds the required attributes and only well-named ones; else InvalidCloudEvent."""
    for name in REQUIRED:
        value = event.get(name)
        if not isinstance(value, str) or not value:
            raise InvalidCloudEvent(f"the {name!r} attribute is required and must be a non-empty string")
    if event["specversion"] != SPEC_VERSION:
        raise InvalidCloudEvent(f"specversion must be {SPEC_VERSION!r}")
    for name in event:
        if name not in ("data", "data_base64") and not _ATTRIBUTE_NAME.fullmatch(name):
            raise InvalidCloudEvent(f"{name!r} is not a CloudEvents attribute name (a-z, 0-9)")
    return dict(event)
