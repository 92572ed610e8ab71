"""The platform's own key and certificate, with which every Digipost-dialect response is signed.

Kept in one PEM file in the data folder and created on first use (`postbud.crypto.key_files`).
"""

from __future__ import annotations

from pathlib import Path

from postbud.crypto.key_files import KeyFile, load_or_create_key_file

FILE_NAME = "digipost-server.pem"

ServerKey = KeyFile


def load_or_create(directory: Path) -> ServerKey:
    return load_or_create_key_file(directory / FILE_NAME, "Postbud Digipost dialect")
