"""Whether an attachment's upload would be refused, asked before anything is stored: a request that
carries its files with it (Altinn's multipart initialize) checks every file first, so a refused one
leaves no attachment behind (``upload_attachment`` makes the same checks, and records a checksum
mismatch of an attachment that already exists as failed)."""

from __future__ import annotations

import asyncio
import hashlib

from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.file_types import FILE_TYPES, content_is_checked
from postbud.services.letters.document_content import content_problem

# Hashing a large file on the event loop would stall it.
_HASH_INLINE_LIMIT = 256 * 1024


async def upload_refusal(
    file_name: str, expected_md5: str | None, content: bytes, limit: int, *, dialect: str
) -> ValidationFailed | None:
    """The refusal ``upload_attachment`` would give this content from ``dialect``, or None."""
    if not content:
        return ValidationFailed.of("content", "the attachment is empty", RuleCode.EMPTY)
    if len(content) > limit:
        return ValidationFailed.of("content", f"larger than {limit} bytes", RuleCode.TOO_LARGE)
    _, dot, extension = file_name.rpartition(".")
    known = FILE_TYPES.get(extension.lower() if dot else "") if content_is_checked(dialect) else None
    problem = content_problem(known, content) if known is not None else None
    if problem is not None:
        return ValidationFailed.of("content", problem, RuleCode.FILE_TYPE)
    if expected_md5 is not None and expected_md5 != await _md5(content):
        return ValidationFailed.of(
            "checksum", "the content does not match its checksum", RuleCode.CHECKSUM_MISMATCH
        )
    return None


async def _md5(content: bytes) -> str:
    def digest() -> str:
        return hashlib.md5(content, usedforsecurity=False).hexdigest()

    return digest() if len(content) <= _HASH_INLINE_LIMIT else await asyncio.to_thread(digest)
