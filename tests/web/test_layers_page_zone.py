"""Pages show times in the deployment's zone (``Settings.time_zone``), not a zone written in the code."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from postbud.config import Settings
from postbud.web.formatting import Formatter
from postbud.web.mount import build_web_context

NOON_UTC = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")


def _never() -> object:
    raise AssertionError("no runtime is needed to build the pages")


def test_the_pages_take_the_deployments_zone(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", time_zone="America/New_York")
    pages = build_web_context(settings, _never).pages  # type: ignore[arg-type]
    assert pages.zone == NEW_YORK
    oslo = build_web_context(Settings(data_dir=tmp_path / "other"), _never).pages  # type: ignore[arg-type]
    assert oslo.zone == ZoneInfo("Europe/Oslo"), "the default region's zone"


def test_a_time_is_written_in_the_zone_the_formatter_has() -> None:
    assert Formatter("en", NEW_YORK).time(NOON_UTC) == "07:00"
    assert Formatter("en").time(NOON_UTC) == "13:00"
    assert (
        Formatter("nb", NEW_YORK).datetime(datetime(2026, 12, 5, 3, 0, tzinfo=UTC))
        == "4. des. 2026 kl.\u00a022:00"
    )
