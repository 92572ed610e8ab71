"""Signed requests other than a send, and registry set-up, for the Digipost dialect tests."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import unquote

from lxml import etree

from postbud.dialects.digipost.schema import validate
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient
from tests.integration.digipost_client import SignedClient

V8_MEDIA = "application/vnd.digipost-v8+xml"


def request(
    client: SignedClient,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    query: str = "",
    signed_path: str | None = None,
) -> Any:
    """Send a signed request; ``signed_path`` is the path as the client signs it (default: ``path``)."""
    headers = client.headers(method, signed_path or path, body, query)
    headers["Accept"] = V8_MEDIA
    if body is not None:
        headers["Content-Type"] = V8_MEDIA
    url = path + (f"?{query}" if query else "")
    return client.http.request(method, url, content=body, headers=headers)


def post_xml(client: SignedClient, path: str, xml: str) -> Any:
    response = request(client, "POST", path, body=xml.encode())
    client.verify(response, unquote(path))
    return response


def get(client: SignedClient, path: str, query: str = "") -> Any:
    """Signed over the raw path, so answered over the decoded one (the same unless it has escapes)."""
    response = request(client, "GET", path, query=query)
    client.verify(response, unquote(path))
    return response


def valid_v8(response: Any) -> etree._Element:
    """The response body, after checking it against the v8 XSD."""
    root = etree.fromstring(response.content)
    assert validate(root, 8) == [], validate(root, 8)
    return root


def add_recipient(
    client: SignedClient,
    party: str,
    name: str,
    *,
    mailbox: str | None = None,
    reserved: bool = False,
    business_inbox: bool = False,
    mobile: str | None = None,
    street: str | None = None,
    postal_code: str = "0155",
    city: str = "Oslo",
) -> Recipient:
    address = PostalAddress(name, (street,), postal_code, city) if street else None
    recipient = Recipient(
        uuid.uuid4(),
        parse_party_id(party, allow_synthetic=True),
        name,
        Capabilities(
            digital_mailbox=mailbox is not None,
            mailbox_address=mailbox,
            reserved=reserved,
            business_inbox=business_inbox,
            mobile=mobile,
            postal_address=address,
        ),
    )

    async def store() -> None:
        runtime = client.runtime_of()
        async with runtime.unit_of_work() as uow:
            await uow.recipients.add(recipient, now=runtime.clock.now())

    client.run(store)
    return recipient
