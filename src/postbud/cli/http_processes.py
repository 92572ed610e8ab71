"""Serve one ASGI app from several processes on the same port (and on a dialect's own ports).

Each process binds its own ``SO_REUSEPORT`` socket on every port, so the kernel spreads connections
evenly over them by their addresses; with one shared listening socket, whichever process wakes first tends
to take most of a burst of new keep-alive connections. Children are spawned (not forked) and build
their own app from ``factory``, so nothing with threads or open connections crosses a fork.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait
from types import FrameType
from typing import Any

_BACKLOG = 2048
_PR_SET_PDEATHSIG = 1
_STOP_SECONDS = 30.0


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(_BACKLOG)
    return sock


def _serve_one(factory: Callable[[], Any], host: str, ports: Sequence[int], options: dict[str, Any]) -> None:
    import uvicorn

    sockets = [_listening_socket(host, port) for port in ports]
    config = uvicorn.Config(factory(), host=host, port=ports[0], **options)
    uvicorn.Server(config).run(sockets=sockets)


def _child(
    factory: Callable[[], Any], host: str, ports: Sequence[int], options: dict[str, Any], parent: int
) -> None:
    # Out of the terminal's process group: Ctrl-C reaches the parent only, which stops each child
    # once (a second signal would make uvicorn skip its graceful shutdown).
    os.setpgid(0, 0)
    _stop_with_parent(parent)
    _serve_one(factory, host, ports, options)


def _stop_with_parent(parent: int) -> None:
    """A parent killed outright (``kill -9``, the OOM killer) cannot stop its children, which would
    go on serving the port beside a restarted Postbud: on Linux the kernel sends them SIGTERM."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def serve_in_processes(
    factory: Callable[[], Any],
    *,
    host: str,
    port: int,
    processes: int,
    options: dict[str, Any],
    more_ports: Sequence[int] = (),
) -> int:
    """Run ``processes`` servers of ``factory()`` until one exits or a signal stops them all.

    Each listens on ``port`` and on every one of ``more_ports`` (a dialect's own port; the app
    tells them apart by the port a request arrived on). ``factory`` must pickle (a module-level
    function, or a ``functools.partial`` of one); ``options`` are further ``uvicorn.Config``
    arguments. Returns the exit code.
    """
    ports = (port, *more_ports)
    if processes <= 1:
        _serve_one(factory, host, ports, options)
        return 0
    for each in ports:  # a port in use fails here, before any child starts
        _listening_socket(host, each).close()
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(
            target=_child, args=(factory, host, ports, options, os.getpid()), name=f"http-{index}"
        )
        for index in range(processes)
    ]
    signalled = False

    def terminate_all() -> None:
        for child in children:
            if child.is_alive():
                child.terminate()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        nonlocal signalled
        signalled = True
        terminate_all()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for child in children:
            child.start()
        wait([child.sentinel for child in children])
        if not signalled:  # one child died on its own: take the others down too
            terminate_all()
        for child in children:
            child.join(_STOP_SECONDS)
            if child.is_alive():
                child.kill()
                child.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if signalled:
        return 0
    return next((child.exitcode for child in children if child.exitcode), 1)
