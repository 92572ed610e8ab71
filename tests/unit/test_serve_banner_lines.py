"""The start banner's lines: a sandbox names its sender's credentials and whether its clock moved;
a deployment that is not a sandbox names neither, whatever its data folder holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from postbud.cli.banner import banner_lines
from postbud.config import Settings
from postbud.services.sandbox.clock import ClockView
from postbud.services.sandbox.shown_credentials import ShownCredentials, shown_credentials
from postbud.web.home_facts import Deployment, DialectDoor

NOW = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
DEPLOYMENT = Deployment(
    version="1.2.3",
    doors=(
        DialectDoor("digipost", ("/digipost",), None, "signed"),
        DialectDoor("ekopost", ("/ekopost",), 8081, "api-key"),
    ),
    docs_path="/api/v1/docs",
    reference_path="/api/v1/redoc",
    openapi_path="/api/v1/openapi.json",
    api_path="/api/v1",
)
CREDENTIALS = ShownCredentials(
    file="/d/sandbox/sender.json",
    sender_name="Postbud Sandbox Sender",
    organisation_number="918891633",
    digipost_id=100000,
    api_key="pb_live_secret",
    key_file="/d/sandbox/sender-key.pem",
    certificate_file="/d/sandbox/sender-cert.pem",
)


def _clock(offset: timedelta) -> ClockView:
    return ClockView(now=NOW + offset, offset=offset, scheduled_jobs=0, next_job_at=None)


def test_a_sandbox_banner_names_doors_credentials_and_a_moved_clock(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, public_url="https://sandbox.example.no")
    lines = banner_lines(settings, DEPLOYMENT, CREDENTIALS, _clock(timedelta(days=7, hours=2)))
    assert lines[0] == "Postbud 1.2.3 (sandbox) on https://sandbox.example.no"
    assert "  ekopost        https://sandbox.example.no/ekopost/" in lines
    assert "                 https://sandbox.example.no:8081/  (its own port, at the root)" in lines
    assert "                 API key pb_live_secret" in lines
    assert (
        "  request bins   https://sandbox.example.no/sandbox/bins/<name>"
        "  (seen at https://sandbox.example.no/console/webhooks/bins)"
    ) in lines
    assert lines[-1] == "  sandbox time   2026-12-12T12:30:00+01:00 (moved 7 d 2 h ahead of real time)"


def test_a_production_banner_names_no_credentials_and_no_sandbox_time(tmp_path: Path) -> None:
    (tmp_path / "sandbox").mkdir()
    (tmp_path / "sandbox" / "sender.json").write_text(
        '{"name": "x", "organisation_number": "1", "digipost_id": 1, "api_key": "pb_live_secret",'
        ' "key_file": "k", "certificate_file": "c"}'
    )
    settings = Settings(data_dir=tmp_path, sandbox=False)
    assert shown_credentials(Settings(data_dir=tmp_path)) is not None, "the folder does hold them"
    lines = banner_lines(settings, DEPLOYMENT, shown_credentials(settings), _clock(timedelta()))
    assert lines[0].startswith("Postbud 1.2.3 (production) on ")
    assert not any("pb_live_secret" in line or "sandbox" in line for line in lines)
