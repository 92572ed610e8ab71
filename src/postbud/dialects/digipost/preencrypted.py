"""Pre-encrypted documents (reference §5.6): a document marked ``encrypted`` arrives as CMS
EnvelopedData, made for the recipient's public key (identification with encryption key) or, when it
may go to print, for the print encryption certificate. Postbud opens it here, at the edge, with the
matching private key, so the core stores, renders, prints and shows the letter as any other.

Content that is not EnvelopedData is ``400 CONTENT_NOT_ENCRYPTED``; EnvelopedData none of the keys
opens is ``400 CONTENT_NOT_ENCRYPTED_WITH_CORRECT_KEY``.
"""

from __future__ import annotations

from dataclasses import replace

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from postbud.crypto.cms import NotEnvelopedData, WrongKey, decrypt_enveloped_data
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.keys import load_private_key
from postbud.dialects.digipost.message_in import ParsedMessage
from postbud.services.accounts.decryption_keys import recipient_private_key_pem


async def _keys(dialect: DigipostDialect, parsed: ParsedMessage) -> list[RSAPrivateKey]:
    keys: list[RSAPrivateKey] = []
    if parsed.recipient is not None:
        pem = await recipient_private_key_pem(dialect.runtime, parsed.recipient)
        if pem is not None:
            keys.append(load_private_key(pem.encode()))
    keys.append(dialect.print_key.private_key)
    return keys


async def decrypted(dialect: DigipostDialect, parsed: ParsedMessage) -> ParsedMessage:
    """``parsed`` with every pre-encrypted document's content opened."""
    if not parsed.encrypted:
        return parsed
    keys = await _keys(dialect, parsed)
    documents = []
    for index, document in enumerate(parsed.documents):
        if document.external_id not in parsed.encrypted:
            documents.append(document)
            continue
        where = "primary-document" if index == 0 else f"attachment[{index}]"
        try:
            content = decrypt_enveloped_data(document.content, keys)
        except NotEnvelopedData as exc:
            raise DigipostError(
                "CONTENT_NOT_ENCRYPTED", f"{where} is marked encrypted but is not CMS EnvelopedData: {exc}"
            ) from exc
        except WrongKey as exc:
            raise DigipostError(
                "CONTENT_NOT_ENCRYPTED_WITH_CORRECT_KEY",
                f"{where} is not encrypted with the recipient's key nor the print encryption certificate",
            ) from exc
        documents.append(replace(document, content=content))
    return replace(parsed, documents=tuple(documents))
