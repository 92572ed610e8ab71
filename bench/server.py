"""Starting `postbud serve` (or a floor server) for a benchmark: once its port is free, with its output
in a log file, waited for until it answers /healthz."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from bench.digipost_send import HOST, wait_healthy

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 300
"""Seconds a server is given to answer: under ``nice -n 19`` on a busy machine it starts slowly."""


def wait_port_free(port: int, timeout: float = 30) -> None:
    """Until nothing listens on ``port`` (the previous server's processes may still be exiting)."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((HOST, port))
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
        time.sleep(0.2)


def start(
    command: list[str], log: Path, port: int, *, timeout: float = START_TIMEOUT
) -> subprocess.Popen[bytes]:
    """The server of ``command``, run from the repository, answering on ``port``."""
    wait_port_free(port)
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    wait_healthy(port, server, timeout=timeout)
    return server
