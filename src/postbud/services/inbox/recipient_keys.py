"""A recipient's encryption key, made the first time a sender asks for it.

Senders may pre-encrypt content for a recipient with this public key. The private half is kept:
the Digipost dialect opens such content with it when the letter is sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from postbud.domain.recipient_keys import RecipientKey
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey

KEY_BITS = 2048


def _new_key_pair() -> tuple[str, str, str]:
    """(key id, public PEM, private PEM); the key id is the SHA-256 of the DER public key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    public_der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return hashlib.sha256(public_der).hexdigest(), public_pem.decode(), private_pem.decode()


async def encryption_key_for(runtime: Runtime, recipient_id: uuid.UUID) -> RecipientKey:
    """The recipient's key, generated and stored on first use; concurrent first uses agree on one."""
    async with runtime.reader() as uow:
        existing = await uow.recipients.key(recipient_id)
    if existing is not None:
        return existing
    key_id, public_pem, private_pem = await asyncio.to_thread(_new_key_pair)
    key = RecipientKey(recipient_id, key_id, public_pem, private_pem, runtime.clock.now())
    try:
        async with runtime.unit_of_work() as uow:
            await uow.recipients.add_key(key)
    except DuplicateKey:
        async with runtime.reader() as uow:
            winner = await uow.recipients.key(recipient_id)
        if winner is None:
            raise
        return winner
    return key
