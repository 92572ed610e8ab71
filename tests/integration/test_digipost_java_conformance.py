"""Digipost's official Java client, unchanged, against a real ``postbud serve`` process.

One Postbud process on a fresh data folder (on SQLite, and on PostgreSQL where the test database
is), the sender and recipients registered through the CLI, one ``mvn test`` run of
tests/conformance/digipost-java (the JUnit suite), which fails this test when any Java test fails.
See docs/dialects/digipost-conformance.md.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, load_pem_private_key
from cryptography.hazmat.primitives.serialization.pkcs12 import serialize_key_and_certificates

from tests.tool_check import tool_missing

REPO = Path(__file__).resolve().parents[2]
SUITE = REPO / "tests" / "conformance" / "digipost-java"
CLIENT = "no.digipost:digipost-api-client-java"
PUBLISHED_VERSION = "18.0.1"  # as pom.xml pins it
INSTALLED_CLIENTS = Path.home() / ".m2/repository/no/digipost/digipost-api-client-java"
POSTBUD = Path(sys.executable).with_name("postbud")

BROKER_ID = 777001
KEYSTORE_PASSWORD = "conformance"
# Who the Java tests write to; the JUnit suite names the same ids (Recipients.java).
MAILBOX_PERSON = ("15108695088", "Ola Nordmann", "Storgata 1|0155|Oslo")
PAPER_PERSON = ("31129956715", "Kari Nordmann", "Prinsens gate 2|0152|Oslo")
# Found by a search with letters outside ASCII (the client sends them unencoded: SearchTest).
NON_ASCII_PERSON = ("12038510183", "Åse Ødegård", "Storgata 9|0155|Oslo")
MAILBOX_ORGANISATION = ("984661185", "Mottaker Bedrift AS", "Bedriftsveien 3|0580|Oslo")
# The sender's own organisation number, with a mailbox: the sender reads it through the inbox API.
OWN_ORGANISATION = ("974760673", "Konformanse Kommune", "Rådhusgata 1|0151|Oslo")

SERVER_START_TIMEOUT_S = 180  # a fresh PostgreSQL database is migrated first; machines are shared
MAVEN_TIMEOUT_S = 900


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _postbud(*args: str, data_dir: Path) -> str:
    result = subprocess.run(
        [str(POSTBUD), *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"postbud {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@dataclass(frozen=True)
class Served:
    url: str
    data_dir: Path
    log: Path


@pytest.fixture
def served(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """``postbud serve`` on a fresh, unseeded data folder and a free port, on a fresh database of each
    backend. The database goes by environment to every process of the run: the server, the CLI
    registrations, and the CLI the Java suite calls mid-run."""
    monkeypatch.setenv("POSTBUD_DATABASE_URL", database_url)
    data_dir = tmp_path / "data"
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(POSTBUD), "serve", "--no-seed", "--port", str(port), "--data-dir", str(data_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "POSTBUD_WORKERS": "1"},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while True:
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "postbud serve did not become ready"
                try:
                    if httpx2.get(f"{url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx2.TransportError:
                    pass
                time.sleep(0.2)
            yield Served(url, data_dir, log_path)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _register(served: Served, keys: Path) -> Path:
    """Register the sender and recipients through the CLI; return the sender's PKCS#12 keystore."""
    key_file = keys / "sender-key.pem"
    _postbud(
        "senders", "add", "--name", "Konformanse Kommune", "--orgnr", "974760673",
        "--digipost-id", str(BROKER_ID), "--generate-key", str(key_file), "--json",
        data_dir=served.data_dir,
    )  # fmt: skip
    for person, name, address in (MAILBOX_PERSON, PAPER_PERSON, NON_ASCII_PERSON):
        mailbox = ["--mailbox"] if person != PAPER_PERSON[0] else []
        _postbud(
            "recipients", "add", "--id", person, "--name", name, *mailbox,
            "--email", "mottaker@example.no", "--mobile", "+4741234567", "--address", address,
            data_dir=served.data_dir,
        )  # fmt: skip
    for organisation, name, address in (MAILBOX_ORGANISATION, OWN_ORGANISATION):
        _postbud(
            "recipients", "add", "--id", organisation, "--name", name, "--mailbox", "--address", address,
            data_dir=served.data_dir,
        )  # fmt: skip
    key = load_pem_private_key(key_file.read_bytes(), password=None)
    certificate = x509.load_pem_x509_certificate((keys / "sender-key.cert.pem").read_bytes())
    keystore = keys / "sender.p12"
    keystore.write_bytes(
        serialize_key_and_certificates(
            b"sender",
            key,  # type: ignore[arg-type]
            certificate,
            None,
            BestAvailableEncryption(KEYSTORE_PASSWORD.encode()),
        )
    )
    return keystore


def _maven(*args: str, cwd: Path, log: Path) -> int:
    """Run Maven offline when everything is cached (the usual case), else online."""
    code = 1
    for mode in (["-o"], []):
        start = log.stat().st_size if log.exists() else 0
        with log.open("a") as out:
            code = subprocess.run(
                ["mvn", "-B", "-q", *mode, *args],
                cwd=cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
                timeout=MAVEN_TIMEOUT_S,
            ).returncode
        if code == 0 or not _missed_an_artifact(log, start):
            return code
    return code


def _missed_an_artifact(log: Path, start: int) -> bool:
    """Whether the Maven run whose output begins at ``start`` failed for want of a download."""
    with log.open("rb") as out:
        out.seek(start)
        text = out.read().decode(errors="replace")
    return "offline mode" in text or "has not been downloaded" in text or "Could not resolve" in text


def _installed(version: str) -> bool:
    return (INSTALLED_CLIENTS / version / f"digipost-api-client-java-{version}.jar").is_file()


def _client_version(log: Path) -> str | None:
    """The official client to run: the published release pinned in pom.xml, fetched into the local
    Maven repository when the registry serves it; else a build of the client's own source that a
    developer installed there (docs/dialects/digipost-conformance.md); else none."""
    if _installed(PUBLISHED_VERSION):
        return PUBLISHED_VERSION
    fetched = _maven("dependency:get", f"-Dartifact={CLIENT}:{PUBLISHED_VERSION}", cwd=SUITE, log=log)
    if fetched == 0 and _installed(PUBLISHED_VERSION):
        return PUBLISHED_VERSION
    builds = sorted(d.name for d in INSTALLED_CLIENTS.glob("*") if d.is_dir() and _installed(d.name))
    return builds[-1] if builds else None


def _surefire_failures(reports: Path) -> str:
    """The failed and erroring Java tests, with their messages and stack traces."""
    lines: list[str] = []
    for report in sorted(reports.glob("TEST-*.xml")):
        for case in ET.parse(report).getroot().iter("testcase"):
            for problem in (*case.iter("failure"), *case.iter("error")):
                lines.append(f"--- {case.get('classname')}.{case.get('name')}: {problem.get('message')}")
                lines.append((problem.text or "").strip()[:4000])
    return "\n".join(lines)


def _test_count(reports: Path) -> int:
    return sum(
        1 for report in reports.glob("TEST-*.xml") for _ in ET.parse(report).getroot().iter("testcase")
    )


@pytest.fixture
def java_and_maven() -> None:
    """Checked before Postbud is started, so a machine without them skips at once."""
    if shutil.which("java") is None or shutil.which("mvn") is None:
        tool_missing("Java and Maven (`mvn`) are needed to run Digipost's official Java client")


@pytest.mark.slow
# Maven's own limit plus the server's start, not the suite's default 300 s: the Java suite alone takes
# 90 s on a quiet machine and more than 300 s on a loaded one.
@pytest.mark.timeout(MAVEN_TIMEOUT_S + SERVER_START_TIMEOUT_S + 120)
def test_the_official_java_client_passes_against_postbud(
    java_and_maven: None, served: Served, tmp_path: Path
) -> None:
    keystore = _register(served, tmp_path)
    maven_log = tmp_path / "maven.log"

    version = _client_version(maven_log)
    if version is None:
        pytest.skip(
            f"Digipost's official Java client ({CLIENT}:{PUBLISHED_VERSION}) is neither served by the "
            "Maven registry this machine reaches nor installed in ~/.m2 "
            "(see docs/dialects/digipost-conformance.md)"
        )

    # A copy per run, so that two runs on one checkout do not share Maven's target folder.
    suite = shutil.copytree(SUITE, tmp_path / "suite", ignore=shutil.ignore_patterns("target"))
    reports = suite / "target" / "surefire-reports"
    started = time.monotonic()
    code = _maven(
        "test",
        f"-Ddigipost.client.version={version}",
        f"-Dpostbud.url={served.url}/digipost",
        f"-Dpostbud.brokerId={BROKER_ID}",
        f"-Dpostbud.keystore={keystore}",
        f"-Dpostbud.keystorePassword={KEYSTORE_PASSWORD}",
        f"-Dpostbud.dataDir={served.data_dir}",
        f"-Dpostbud.cli={POSTBUD}",
        cwd=suite,
        log=maven_log,
    )
    elapsed = time.monotonic() - started
    ran = list(reports.glob("TEST-*.xml"))
    assert ran, f"no Java test ran ({elapsed:.0f} s):\n{maven_log.read_text()[-20000:]}"
    assert code == 0, (
        f"Java conformance tests failed ({elapsed:.0f} s):\n{_surefire_failures(reports)}\n"
        f"--- Maven output (tail):\n{maven_log.read_text()[-6000:]}\n"
        f"--- postbud serve log (tail):\n{served.log.read_text()[-6000:]}"
    )
    print(f"\n{_test_count(reports)} Java tests passed ({elapsed:.0f} s, client {version})")
