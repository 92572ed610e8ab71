"""Reading a file a command was given: a clear error naming the file and what is wrong, never a traceback.

Every command that reads a file (a CSV to import, a certificate) goes through ``read_text``, so a
missing file, a folder, a file it may not read or one that is not UTF-8 text ends the command with
exit code 1 and one line on stderr (a problem object with ``--json``), like any other bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

from postbud.cli.options import fail

STDIN = "-"


def _problem(path: Path, exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file"
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a folder; give a file"
    if isinstance(exc, PermissionError):
        return f"{path}: not allowed to read it"
    if isinstance(exc, UnicodeDecodeError):
        return f"{path} is not UTF-8 text (byte {exc.start} cannot be read)"
    if isinstance(exc, OSError):
        return f"{path}: {exc.strerror or exc}"
    return f"{path}: {exc}"


def read_text(
    path: Path, *, field: str, json_mode: bool, encoding: str = "utf-8", stdin_dash: bool = False
) -> str:
    """The text of ``path`` (``-``: stdin, where ``stdin_dash``); else exit 1 naming ``field``."""
    from postbud.domain.errors import FieldError, RuleCode, ValidationFailed

    try:
        if stdin_dash and str(path) == STDIN:
            return sys.stdin.read()
        return path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as exc:
        fail(ValidationFailed(FieldError(field, _problem(path, exc), RuleCode.INVALID)), json_mode)
