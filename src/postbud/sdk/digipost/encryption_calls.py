"""Fetching the keys to pre-encrypt with, and encrypting a message's marked documents (§5.6)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from . import xml_out
from .encryption import encrypt_for_certificate, encrypt_for_key
from .errors import InvalidRequestError, MissingLinkError
from .identification import IdentificationResultCode
from .links import Entrypoint, Relation
from .message import Document, Message
from .multipart import XML_V8
from .operations import Call
from .recipients import IdentificationTarget
from .transport import ApiRequest, ApiResponse
from .xml_in import identification_result, parse

__all__ = [
    "EncryptionKey",
    "encrypt_documents",
    "identify_with_encryption_key",
    "print_encryption_certificate",
]


@dataclass(frozen=True, slots=True)
class EncryptionKey:
    """A recipient's public key (PEM) and its id; None when the recipient is not a Digipost user."""

    public_key_pem: str
    key_id: str


def _link(root: Entrypoint, relation: Relation) -> str:
    found = root.link(relation)
    if found is None:
        raise MissingLinkError(relation, "the entrypoint")
    return found.uri


def identify_with_encryption_key(
    root: Entrypoint, target: IdentificationTarget
) -> Call[EncryptionKey | None]:
    link = _link(root, Relation.IDENTIFY_RECIPIENT_WITH_ENCRYPTION_KEY)
    body = xml_out.identification_xml(target, include_person_alias=False)

    def read(response: ApiResponse) -> EncryptionKey | None:
        root_el = parse(response.body, "identification-result-with-encryption-key")
        result_el = next(
            c for c in root_el if isinstance(c.tag, str) and c.tag.endswith("identification-result")
        )
        result = identification_result(etree.tostring(result_el))
        keys = [c for c in root_el if isinstance(c.tag, str) and c.tag.endswith("encryption-key")]
        if result.result is not IdentificationResultCode.DIGIPOST or not keys:
            return None
        return EncryptionKey(keys[0].text or "", keys[0].get("key-id") or "")

    return Call(ApiRequest("POST", link, body, XML_V8), read)


def print_encryption_certificate(root: Entrypoint) -> Call[str]:
    link = _link(root, Relation.GET_PRINT_ENCRYPTION_CERTIFICATE)
    return Call(
        ApiRequest("GET", link), lambda response: parse(response.body, "encryption-certificate").text or ""
    )


def encrypt_documents(
    message: Message,
    documents: Sequence[tuple[Document, bytes]],
    key: EncryptionKey | None,
    print_certificate: str | None,
) -> list[tuple[Document, bytes]]:
    """Each document marked ``encrypted`` for the recipient's key, or (no key: not a Digipost user)
    for print when the message may go to print, as the Java client chooses."""
    encrypted: list[tuple[Document, bytes]] = []
    for document, content in documents:
        if not document.encrypted:
            encrypted.append((document, content))
        elif key is not None:
            encrypted.append((document, encrypt_for_key(content, key.public_key_pem, key.key_id)))
        elif print_certificate is not None and message.print_details is not None:
            encrypted.append((document, encrypt_for_certificate(content, print_certificate)))
        else:
            raise InvalidRequestError(
                "ENCRYPTION_KEY_NOT_FOUND", [f"no key to pre-encrypt document {document.uuid} for"]
            )
    return encrypted
