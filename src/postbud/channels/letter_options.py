"""The channel options a letter carries (``Shipment.channel_options``), read in one place."""

from __future__ import annotations

from postbud.domain.channel_options import DEFAULT_CHANNEL_OPTIONS, ChannelOptions
from postbud.domain.shipments import Shipment


def options_of(shipment: Shipment) -> ChannelOptions:
    """The letter's options; the default ones for a letter stored before they existed."""
    options = getattr(shipment, "channel_options", None)
    return options if isinstance(options, ChannelOptions) else DEFAULT_CHANNEL_OPTIONS
