"""``postbud serve`` starts with a banner that names what the home page names: where to click, each
dialect's base URLs (and own port), where letters are kept, and, on the very first start, the
sandbox sender's credentials and the sandbox time."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

import httpx2
import pytest

from tests.integration.test_cli import POSTBUD, _free_port
from tests.integration.test_core_layers_serve_ports import _ready


@pytest.mark.slow
def test_the_banner_names_what_the_home_page_names(tmp_path: Path) -> None:
    main, ekopost = _free_port(), _free_port()
    data_dir = tmp_path / "fresh"
    log = tmp_path / "serve.log"
    command = [
        str(POSTBUD),
        "serve",
        "--port",
        str(main),
        "--ekopost-port",
        str(ekopost),
        "--data-dir",
        str(data_dir),
    ]
    url = f"http://127.0.0.1:{main}"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "POSTBUD_WORKERS": "0"}
        )
    try:
        _ready(url, process, log)
        home = httpx2.get(f"{url}/", headers={"accept-language": "en"}, timeout=10).text
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    banner = log.read_text()
    stored = json.loads((data_dir / "sandbox" / "sender.json").read_text())

    assert re.search(rf"^Postbud \S+ \(sandbox\) on {re.escape(url)}$", banner, re.M), banner
    expected = {
        "home": f"{url}/",
        "inbox": f"{url}/inbox/",
        "console": f"{url}/console/",
        "API docs": f"{url}/api/v1/docs  (ReDoc: {url}/api/v1/redoc)",
        "digipost": f"{url}/digipost/",
        "ekopost": f"{url}/ekopost/",
        "altinn": f"{url}/correspondence/api/v1/",
        "database": f"SQLite {data_dir}/postbud.db",
        "admin token": f"{data_dir}/admin-token",
    }
    for label, value in expected.items():
        assert re.search(rf"^  {re.escape(label)} +{re.escape(value)}$", banner, re.M), (label, banner)
    assert f"http://127.0.0.1:{ekopost}/  (its own port, at the root)" in banner
    assert f"API key {stored['api_key']}" in banner, "the credentials seeded on this first start"
    assert f"Digipost broker id {stored['digipost_id']}, signing key {stored['key_file']}" in banner
    assert re.search(r"^  sandbox time +\d{4}-\d{2}-\d{2}T\S+ \(real time\)$", banner, re.M), banner

    # The home page shows the same doors and credentials.
    for value in (f"{url}/digipost/", f"{url}/ekopost/", f"http://127.0.0.1:{ekopost}/", stored["api_key"]):
        assert value in home
