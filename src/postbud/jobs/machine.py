"""Who this process is on its machine, and whether a process seen in the worker registry still runs.

Two processes that share a kernel boot and a pid namespace see the same pids, so one can tell for
certain that the other is gone: its pid is free, or now belongs to a process started at another
time. That is what lets a restarted Postbud take over a crashed one's jobs at once. Processes on
other machines (or in other containers) are judged by their heartbeats instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
_PID_NAMESPACE = Path("/proc/self/ns/pid")


@dataclass(frozen=True, slots=True)
class ProcessIdentity:
    pid: int
    machine: str | None
    """Boot id and pid namespace; None where the system does not tell (not Linux)."""
    started: int | None
    """Start time in clock ticks since boot (``/proc/<pid>/stat``), against a reused pid."""


def this_process() -> ProcessIdentity:
    pid = os.getpid()
    return ProcessIdentity(pid=pid, machine=this_machine(), started=process_started(pid))


def this_machine() -> str | None:
    try:
        boot = _BOOT_ID.read_text().strip()
        namespace = os.readlink(_PID_NAMESPACE)
    except OSError:
        return None
    return f"{boot}/{namespace}"


def process_started(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[19]) if fields else None  # field 22, starttime


def _stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` from field 3 (the state) on."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    return stat[stat.rindex(")") + 2 :].split()


def is_gone(other: ProcessIdentity, me: ProcessIdentity) -> bool:
    """True only when ``other`` certainly no longer runs; False when it runs or cannot be told."""
    if other.machine is None or other.machine != me.machine:
        return False
    if other.pid == me.pid:
        return other.started is not None and other.started != me.started
    try:
        os.kill(other.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user holds the pid: it runs
        pass
    fields = _stat(other.pid)
    if fields is None:
        return False
    if fields[0] in ("Z", "X"):  # killed, not yet reaped by its parent
        return True
    return other.started is not None and int(fields[19]) != other.started
