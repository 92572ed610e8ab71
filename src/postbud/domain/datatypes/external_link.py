"""`externalLink`: a button in the recipient's mailbox that opens an external web page."""

from __future__ import annotations

from typing import ClassVar

from .common import DataTypeBase, String30, String300, WebUrl, ZonedDateTime


class ExternalLink(DataTypeBase):
    """Also used nested, as `link` in appointment, invoice, pickup notice … and `callToAction`."""

    kind: ClassVar[str] = "externalLink"

    url: WebUrl
    deadline: ZonedDateTime | None = None
    description: String300 | None = None
    button_text: String30 | None = None
