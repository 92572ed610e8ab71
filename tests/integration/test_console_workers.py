"""Faults and the clock reach job workers in another process (``postbud worker``).

The app runs with no workers of its own; a ``postbud worker`` process on the same database and
data folder does all delivery. It learns the operator's settings only through the database.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.integration.test_console_web import OLA, Console, console_for, receiver, wait_for
from tests.integration.test_webhooks import Receiver

__all__ = ["receiver"]

POSTBUD = Path(sys.executable).with_name("postbud")
WORKER_WAIT = 60.0
"""A fresh ``postbud worker`` process takes a few seconds to start, more on a busy machine."""


class WorkerProcesses:
    """``postbud worker`` processes on the console's database and data folder.

    A worker reads the stored faults before its first job, so one started after a change has it
    for certain; a running worker adopts changes within a second, which a test could only sleep for.
    """

    def __init__(self, data_dir: Path, database_url: str) -> None:
        self._command = [
            str(POSTBUD),
            "worker",
            "--concurrency",
            "1",
            "--data-dir",
            str(data_dir),
            "--database-url",
            database_url,
        ]
        self._running: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(self._command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._running.append(process)
        return process

    def restart(self) -> subprocess.Popen[bytes]:
        """Stop the running workers and start a new one, which reads the settings as they are now."""
        self.stop()
        return self.start()

    def stop(self) -> None:
        while self._running:
            process = self._running.pop()
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture
def console(tmp_path: Path, database_url: str) -> Iterator[Console]:
    yield from console_for(tmp_path, database_url, workers=0)


@pytest.fixture
def workers(tmp_path: Path, database_url: str, console: Console) -> Iterator[WorkerProcesses]:
    processes = WorkerProcesses(tmp_path / "data", database_url)
    try:
        yield processes
    finally:
        processes.stop()


@pytest.fixture
def worker(workers: WorkerProcesses) -> subprocess.Popen[bytes]:
    return workers.start()


def test_a_print_fault_set_in_the_console_fails_the_letter_in_a_worker_and_reaches_the_webhook(
    console: Console, workers: WorkerProcesses, receiver: Receiver
) -> None:
    console.subscribe(receiver, "sender", ("print_failed",))
    console.sign_in()
    console.post(
        "/console/faults/channel", {"channel": "print", "percent": "100", "error": "Papirstopp i sandkassen"}
    )
    worker = workers.start()

    letter = console.send_to_print("Brev på papir")
    received = wait_for(
        lambda: receiver.by_hook("sender"), timeout=WORKER_WAIT, what="PRINT_FAILED at the sender's webhook"
    )

    body = received[0].json
    assert received[0].valid, "signed by Postbud"
    assert body["type"] == "shipment.print_failed"
    assert body["data"]["shipment_id"] == letter["id"]
    assert body["data"]["event"]["reason"] == "Papirstopp i sandkassen"
    assert body["data"]["event"]["injected"] is True
    events = console.shipment(letter["id"])["events"]
    assert [e["type"] for e in events][-1] == "print_failed"
    assert worker.poll() is None, "the worker process is still running"


def test_a_webhook_fault_set_through_the_api_makes_the_target_seem_down_until_removed(
    console: Console, workers: WorkerProcesses, receiver: Receiver
) -> None:
    console.subscribe(receiver, "flaky", ("delivered",))
    console.add_ola()
    fault = {"url": receiver.url("flaky"), "probability": 1, "status_code": 503, "error": "vedlikehold"}
    set_fault = console.api("PUT", "/sandbox/faults/webhooks", json=fault)
    assert set_fault.status_code == 200, set_fault.text
    assert set_fault.json()["timeout"] is False
    workers.start()

    console.send("Vedtak", recipient=OLA)
    delivery = wait_for(
        lambda: [d for d in console.api("GET", "/webhooks/deliveries").json() if d["attempts"] >= 1],
        timeout=WORKER_WAIT,
        what="the first attempt",
    )[0]
    assert delivery["status"] == "retrying"
    assert delivery["last_status_code"] == 503
    assert delivery["last_error"] == "HTTP 503: vedlikehold"
    assert receiver.by_hook("flaky") == [], "the target was never called"

    removed = console.api("DELETE", "/sandbox/faults/webhooks", params={"url": receiver.url("flaky")})
    assert removed.status_code == 204
    workers.restart()
    console.sign_in()
    console.post(f"/console/webhooks/deliveries/{delivery['id']}/redeliver")
    wait_for(lambda: receiver.by_hook("flaky"), timeout=WORKER_WAIT, what="the redelivery")
    assert receiver.by_hook("flaky")[0].json["type"] == "shipment.delivered"


def test_advancing_the_clock_in_the_console_releases_a_held_letter_in_the_worker(
    console: Console, worker: subprocess.Popen[bytes]
) -> None:
    console.add_ola()
    publish_at = datetime.now(UTC) + timedelta(days=3)
    letter = console.send("Sendes om tre dager", recipient=OLA, publish_at=publish_at.isoformat())
    assert console.shipment(letter["id"])["status"] == "scheduled"
    clock = console.api("GET", "/sandbox/clock").json()
    assert clock["scheduled_jobs"] == 1
    assert datetime.fromisoformat(clock["next_job_at"]) == publish_at

    console.sign_in()
    notice = console.notice(console.post("/console/clock/advance", {"amount": "3", "unit": "days"}))
    assert "Klokken i sandkassen er nå" in notice
    wait_for(
        lambda: console.shipment(letter["id"])["status"] == "delivered",
        timeout=WORKER_WAIT,
        what="the held letter to be delivered",
    )
    delivered = next(e for e in console.shipment(letter["id"])["events"] if e["type"] == "delivered")
    assert datetime.fromisoformat(delivered["at"]) >= publish_at, "stamped in sandbox time"


def test_the_clock_api_skips_to_the_next_waiting_job(
    console: Console, worker: subprocess.Popen[bytes]
) -> None:
    console.add_ola()
    publish_at = datetime.now(UTC) + timedelta(days=10)
    letter = console.send("Sendes om ti dager", recipient=OLA, publish_at=publish_at.isoformat())

    moved = console.api("POST", "/sandbox/clock/advance", json={"to_next_job": True})
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["now"]) > publish_at
    assert moved.json()["offset_seconds"] > 9 * 86400
    wait_for(
        lambda: console.shipment(letter["id"])["status"] == "delivered",
        timeout=WORKER_WAIT,
        what="the letter to be published",
    )
    nothing = console.api("POST", "/sandbox/clock/advance", json={"to_next_job": True})
    assert nothing.status_code == 409, "no job waits any more"


def test_the_sandbox_api_is_for_the_admin_and_checks_its_input(console: Console) -> None:
    sender = {"Authorization": f"Bearer {console.api_key}"}
    assert console.client.get("/api/v1/sandbox/faults").status_code == 401
    assert console.client.get("/api/v1/sandbox/clock", headers=sender).status_code == 403
    put = console.client.put("/api/v1/sandbox/faults/channels/print", json={"probability": 1}, headers=sender)
    assert put.status_code == 403
    for path, body, field in (
        ("/sandbox/faults/channels/print", {"probability": 1.5}, "probability"),
        ("/sandbox/faults/channels/print", {"probability": 1, "error": "x" * 501}, "error"),
        ("/sandbox/faults/webhooks", {"url": "ftp://x", "probability": 1}, "url"),
        (
            "/sandbox/faults/webhooks",
            {"url": "http://x.test/", "probability": 1, "status_code": 200},
            "status_code",
        ),
        (
            "/sandbox/faults/webhooks",
            {"url": "http://x.test/", "probability": 1, "status_code": 500, "timeout": True},
            "status_code",
        ),
    ):
        response = console.api("PUT", path, json=body)
        assert response.status_code == 400, (path, body)
        assert field in {e["field"] for e in response.json()["errors"]}, response.json()
    assert console.api("PUT", "/sandbox/faults/channels/pigeon", json={"probability": 1}).status_code == 400
    advances: list[dict[str, object]] = [
        {},
        {"seconds": 0},
        {"seconds": -5},
        {"seconds": 1e12},
        {"seconds": 60, "to_next_job": True},
    ]
    for body in advances:
        assert console.api("POST", "/sandbox/clock/advance", json=body).status_code == 400, body
    assert console.api("GET", "/sandbox/faults").json() == {"channels": [], "webhooks": []}
    assert console.api("GET", "/sandbox/clock").json()["offset_seconds"] == 0


def test_a_mailbox_fault_fails_delivery_to_the_digital_mailbox(console: Console) -> None:
    console.add_ola()
    fault = console.api("PUT", "/sandbox/faults/channels/digital_mailbox", json={"probability": 1}).json()
    assert fault == {
        "channel": "digital_mailbox",
        "probability": 1.0,
        "error": "sandbox fault: mailbox unavailable",
    }
    letter = console.send("Vedtak", recipient=OLA)
    events = console.shipment(letter["id"])["events"]
    assert events[-1]["type"] == "delivery_failed"
    assert events[-1]["data"] == {"reason": "sandbox fault: mailbox unavailable", "injected": True}
    assert console.api("DELETE", "/sandbox/faults/channels/digital_mailbox").status_code == 204
    assert console.shipment(console.send("Vedtak 2", recipient=OLA)["id"])["status"] == "delivered"
