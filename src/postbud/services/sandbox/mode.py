"""What only the sandbox allows: moving the clock, injecting faults, printing on demand."""

from __future__ import annotations

from postbud.domain.errors import NotPermitted, PermissionCode
from postbud.services.runtime import Runtime


def require_sandbox(runtime: Runtime) -> None:
    if not runtime.settings.sandbox:
        raise NotPermitted(
            "only a sandbox (POSTBUD_SANDBOX=true) lets operators change time or inject faults",
            PermissionCode.NOT_APPROVED,
        )
