"""``syncfs(2)``: make everything written to one filesystem durable with a single call (Linux).

The standard library has ``os.sync`` (every filesystem) and ``os.fsync`` (one file) but not
``syncfs``; glibc exports it, so it is reached through ctypes. Since Linux 5.8 it also reports
write-back errors of the filesystem, which is what makes it usable as a durability barrier.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
from collections.abc import Callable


def load_syncfs() -> Callable[[int], None] | None:
    """``syncfs`` as a function of a file descriptor, or None where it is missing or unreliable."""
    if platform.system() != "Linux" or _kernel_version() < (5, 8):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        function = ctypes.CDLL(name, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int

    def syncfs(fd: int) -> None:
        if function(fd) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"syncfs failed: {os.strerror(errno)}")

    return syncfs


def _kernel_version() -> tuple[int, int]:
    release = platform.release().split("-")[0].split(".")
    try:
        return int(release[0]), int(release[1])
    except (IndexError, ValueError):
        return (0, 0)
