"""The key loading the Digipost dialect and its SDK use, from the neutral ``postbud.crypto.keys``.

Minting keys and certificates is not Digipost wire: ``generate_test_key_and_certificate`` is in
``postbud.crypto.keys`` only.
"""

from __future__ import annotations

from postbud.crypto.keys import (
    KeyLoadError,
    certificate_pem,
    load_certificate,
    load_pkcs12,
    load_private_key,
    load_public_key,
)

__all__ = [
    "KeyLoadError",
    "certificate_pem",
    "load_certificate",
    "load_pkcs12",
    "load_private_key",
    "load_public_key",
]
