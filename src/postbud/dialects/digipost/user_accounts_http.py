"""``POST /user-accounts`` (``create_or_activate_user_account``; older Java clients post to
``/{senderId}/user-accounts`` at the host root): ``user-information`` → ``user-account`` with the
person's Digipost address and public encryption key."""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.acting_sender import acting_sender
from postbud.dialects.digipost.auth import read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.request_in import MAX_XML_BYTES, xml_element
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.domain.errors import ValidationFailed
from postbud.services.accounts import user_accounts

V8 = namespace(8)
_FIELD_CODES = {"phone-number": "INVALID_PHONE_NUMBER", "email-address": "INVALID_EMAIL_ADDRESS"}


def _q(name: str) -> str:
    return f"{{{V8}}}{name}"


async def create_or_activate(dialect: DigipostDialect, request: Request) -> Response:
    body, body_sha256 = await read_body(request, MAX_XML_BYTES)
    await acting_sender(dialect, request, body_sha256)
    root = xml_element(body, "user-information")
    try:
        account = await user_accounts.create_or_activate(
            dialect.runtime,
            (root.findtext(_q("national-identity-number")) or "").strip(),
            (root.findtext(_q("phone-number")) or "").strip(),
            (root.findtext(_q("email-address")) or "").strip(),
        )
    except ValidationFailed as exc:
        code = _FIELD_CODES.get(exc.first.field, "VALIDATION_FAILED")
        raise DigipostError(code, str(exc)) from exc
    answer = etree.Element(_q("user-account"), nsmap={None: V8})
    etree.SubElement(answer, _q("digipost-address")).text = account.recipient.capabilities.mailbox_address
    key = etree.SubElement(answer, _q("encryption-key"))
    key.set("key-id", account.encryption_key.key_id)
    key.text = account.encryption_key.public_key_pem
    return signed(dialect, request, xml_bytes(answer))
