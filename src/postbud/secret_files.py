"""Secrets kept as files in the data folder: made once, atomically, readable only by the owner.

Several processes may start on the same data folder at the same moment (``serve`` and a CLI
command, or several nodes); the first file written wins and every process reads that one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


def create_once(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 0600, fsync'd) unless the file already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic: fails if another process created it first
    finally:
        os.unlink(tmp)


def secret_token(path: Path, *, nbytes: int = 32) -> str:
    """The random token stored at ``path``, made on first use."""
    if not path.exists():
        create_once(path, (secrets.token_urlsafe(nbytes) + "\n").encode())
    return path.read_text().strip()
