"""A Postbud server for an integrator's tests: ``postbud serve`` in a subprocess, on a free loopback
port, with a data folder of its own and credentials fixed before it starts.

The credentials are given to the server (``POSTBUD_ADMIN_TOKEN``, ``POSTBUD_SANDBOX_API_KEY``,
``POSTBUD_SANDBOX_SENDER_KEY_FILE``), so they are known without reading its files and stay the same
through every reset.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx2

from postbud.crypto.keys import generate_test_key_and_certificate

START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
SANDBOX_DIGIPOST_ID = 100000
"""The sandbox sender's Digipost id (``postbud seed``)."""


@dataclass(frozen=True, slots=True)
class SandboxCredentials:
    """What a client needs to reach the sandbox as its ready-made sender, and as the admin."""

    admin_token: str
    api_key: str
    """The sandbox sender's API key: the platform API (``Bearer``) and Ekopost (``api-key``)."""
    sender_id: str
    digipost_id: int
    organisation_number: str
    key_file: Path
    """The sandbox sender's RSA private key (PEM): Digipost's signed requests."""


@dataclass(frozen=True, slots=True)
class RunningPostbud:
    url: str
    """The root URL (``http://127.0.0.1:PORT``); dialects below it: ``/digipost``, ``/ekopost``."""
    data_dir: Path | None
    """The server's data folder; None for a server this process did not start."""
    credentials: SandboxCredentials


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"postbud serve exited with {process.returncode}:\n{_tail(log)}")
        with contextlib.suppress(httpx2.HTTPError):
            if httpx2.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"postbud serve did not become ready in {START_TIMEOUT_S:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


def sandbox_credentials(data_dir: Path, admin_token: str) -> SandboxCredentials:
    """The sandbox sender as the server wrote it down (``<data_dir>/sandbox/sender.json``)."""
    stored = json.loads((data_dir / "sandbox" / "sender.json").read_text())
    return SandboxCredentials(
        admin_token=admin_token,
        api_key=stored["api_key"],
        sender_id=stored["sender_id"],
        digipost_id=int(stored["digipost_id"]),
        organisation_number=stored["organisation_number"],
        key_file=Path(stored["key_file"]),
    )


@contextlib.contextmanager
def serving(
    data_dir: Path,
    *,
    database_url: str | None = None,
    workers: int = 2,
    environment: Mapping[str, str] | None = None,
) -> Iterator[RunningPostbud]:
    """``postbud serve`` on a free port with ``data_dir`` (made if missing) until the block ends."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir.parent / f"{data_dir.name}-sender-key.pem"
    if not key_file.exists():
        key_file.write_bytes(generate_test_key_and_certificate("Postbud test sender")[0])
        key_file.chmod(0o600)
    admin_token = secrets.token_urlsafe(24)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "POSTBUD_ADMIN_TOKEN": admin_token,
        "POSTBUD_SANDBOX_API_KEY": "pb_live_" + secrets.token_urlsafe(24),
        "POSTBUD_SANDBOX_SENDER_KEY_FILE": str(key_file),
        **(environment or {}),
    }
    if database_url is not None:
        env["POSTBUD_DATABASE_URL"] = database_url
    command = [
        sys.executable,
        "-c",
        "from postbud.cli import main; main()",
        "serve",
        "--data-dir",
        str(data_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--public-url",
        url,
    ]
    log = data_dir.parent / f"{data_dir.name}-serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        _wait_until_ready(url, process, log)
        yield RunningPostbud(url, data_dir, sandbox_credentials(data_dir, admin_token))
    finally:
        _stop(process)
