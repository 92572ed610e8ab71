"""Person aliases: stable stand-ins for a recipient's identifier that never reveal it.

An alias is an HMAC of the identifier under a secret made once per installation and kept in the
data folder, shaped like Digipost's (25 lower-case letters, ``#``, 4 upper-case characters). The
same installation always gives the same alias for the same person; nobody without the secret can
go from an alias back to the identifier.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from pathlib import Path

from postbud.domain.identifiers import PartyId
from postbud.secret_files import create_once

FILE_NAME = "digipost-person-alias.key"
_LETTERS = 25
_CODE = 4


@functools.cache
def alias_secret(directory: Path) -> bytes:
    path = directory / FILE_NAME
    if not path.exists():
        create_once(path, secrets.token_hex(32).encode())
    return bytes.fromhex(path.read_text().strip())


def person_alias(secret: bytes, party: PartyId) -> str:
    digest = hmac.new(secret, f"person-alias:{party}".encode(), hashlib.sha256).digest()
    letters = "".join(chr(ord("a") + byte % 26) for byte in digest[:_LETTERS])
    code = base64.b32encode(digest[_LETTERS:]).decode()[:_CODE]
    return f"{letters}#{code}"
