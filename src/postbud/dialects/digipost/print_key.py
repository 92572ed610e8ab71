"""Postbud's print encryption key: the certificate ``get_print_encryption_certificate`` hands out,
with which a sender pre-encrypts letters that may go to print, and the key that opens them again.

Kept in one PEM file in the data folder and created on first use, like the server key.
"""

from __future__ import annotations

from pathlib import Path

from postbud.crypto.key_files import KeyFile, load_or_create_key_file

FILE_NAME = "digipost-print-encryption.pem"

PrintKey = KeyFile


def load_or_create(directory: Path) -> PrintKey:
    return load_or_create_key_file(directory / FILE_NAME, "Postbud print encryption")
