"""The print house the print line works with."""

from __future__ import annotations

from postbud.channels.print import SandboxPrintHouse
from postbud.domain.channels import Channel
from postbud.services.runtime import Runtime


def batch_print_house(runtime: Runtime) -> SandboxPrintHouse | None:
    """The print house, when it takes print batches (the sandbox's does)."""
    house = runtime.channels.get(Channel.PRINT)
    return house if isinstance(house, SandboxPrintHouse) else None
