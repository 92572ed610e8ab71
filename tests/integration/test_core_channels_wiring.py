"""The running post office's channels are built for the deployment's region: a Swedish deployment's
print house counts Swedish working days and postmarks in Stockholm time, its SMS gateway reads
national numbers as Swedish."""

from __future__ import annotations

from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.channels.print import SandboxPrintHouse
from postbud.channels.sms import SmsChannel
from postbud.config import Settings
from postbud.domain.channels import Channel

pytestmark = pytest.mark.anyio


async def test_the_runtime_channels_take_the_deployments_region(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", workers=0, country="SE", time_zone="Europe/Stockholm")
    settings.print_window = "right"
    runtime = await build_runtime(settings)
    try:
        house = runtime.channel(Channel.PRINT)
        assert isinstance(house, SandboxPrintHouse)
        assert house.home_country == "SE"
        assert str(house.timezone) == "Europe/Stockholm"
        assert house.region.country == "SE"
        default_house = SandboxPrintHouse(runtime.blobs, runtime.clock)
        assert house.window != default_house.window
        sms = runtime.channel(Channel.SMS)
        assert isinstance(sms, SmsChannel)
        assert sms.region == "SE"
    finally:
        await runtime.close()
