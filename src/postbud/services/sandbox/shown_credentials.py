"""The sandbox sender's credentials as the home page and the start banner show them.

They are what ``seed.sandbox_sender`` wrote to ``<data folder>/sandbox/sender.json`` (its key and
certificate beside it). Only a sandbox shows them; a deployment that is not one gets ``None``
whatever the folder holds, so production credentials can never reach a page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from postbud.config import Settings


@dataclass(frozen=True, slots=True)
class ShownCredentials:
    file: str
    """``sender.json``, where a script reads them."""
    sender_name: str
    organisation_number: str
    digipost_id: int
    api_key: str
    key_file: str
    certificate_file: str


def credentials_file(settings: Settings) -> Path:
    return settings.resolved_data_dir / "sandbox" / "sender.json"


def shown_credentials(settings: Settings) -> ShownCredentials | None:
    """The sandbox sender's credentials, or None outside a sandbox or before the first seed."""
    if not settings.sandbox:
        return None
    path = credentials_file(settings)
    try:
        stored = json.loads(path.read_text())
        return ShownCredentials(
            file=str(path),
            sender_name=str(stored["name"]),
            organisation_number=str(stored["organisation_number"]),
            digipost_id=int(stored["digipost_id"]),
            api_key=str(stored["api_key"]),
            key_file=str(stored["key_file"]),
            certificate_file=str(stored["certificate_file"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
