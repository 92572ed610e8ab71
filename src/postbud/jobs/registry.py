"""Job kinds and their handlers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job

HandlerFn = Callable[[Job, Runtime], Awaitable[None]]
GiveUpFn = Callable[[Job, Runtime, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class JobHandler:
    run: HandlerFn
    give_up: GiveUpFn | None = None
    """Called once when the last attempt failed, to record the failure where users see it."""


class PermanentFailure(Exception):
    """Retrying cannot help: bury the job at once."""


class HolderDied(PermanentFailure):
    """The job's last attempt ended with its worker's process: it is buried, not run again."""
