"""An Ekopost SMS mailing to 100,000 numbers through the whole app (SQLite, sandbox capture): the
time to the durable 200, the time until every recipient is sent by the batch jobs, and the peak
RSS of the process (the jobs read 500 recipients at a time; the request itself holds its numbers).

    nice -n 19 python -m bench.sms_mailing_100k [COUNT]

Prints one line ``BENCH {json}``. No floor: the figures are for docs/benchmarks.md.
"""

from __future__ import annotations

import base64
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.services.parties.senders import RegisterSender, register_sender


def main(count: int) -> dict[str, object]:
    """Prints the figures as soon as they are known (removing 100,000 captured blobs takes long)."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(data_dir=Path(scratch) / "data", workers=2, admin_token="bench-admin-token")
        with TestClient(create_app(settings)) as http:
            runtime = http.app.state.runtime  # type: ignore[attr-defined]
            customer = http.portal.call(  # type: ignore[union-attr]
                lambda: register_sender(RegisterSender("Bench AB", "5568384118"), runtime)
            )
            headers = {"Authorization": f"api-key {customer.api_key}"}
            body = {
                "mime": "text/plain",
                "data": base64.b64encode("Hej! Ett utskick till många.".encode()).decode(),
                "FromName": "Bench",
                "recipients": [f"07{n // 10_000_000 % 10}{n % 10_000_000:07d}" for n in range(count)],
            }
            started = time.perf_counter()
            created = http.post("/ekopost/sms", json=body, headers=headers)
            accepted = time.perf_counter() - started
            assert created.status_code == 200, created.text
            mailing_id = created.json()["id"]
            while (status := http.get(f"/ekopost/sms/{mailing_id}?limit=1", headers=headers).json())[
                "state"
            ] != "completed":
                time.sleep(0.5)
            finished = time.perf_counter() - started
            print("BENCH " + json.dumps(_figures(status, accepted, finished)), flush=True)
    return _figures(status, accepted, finished)


def _figures(status: dict[str, int], accepted: float, finished: float) -> dict[str, object]:
    return {
        "recipients": status["recipient_count"],
        "sent": status["sent_count"],
        "failed": status["failed_count"],
        "accepted_s": round(accepted, 2),
        "all_sent_s": round(finished, 2),
        "sent_per_s": round(status["sent_count"] / (finished - accepted), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
