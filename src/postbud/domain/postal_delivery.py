"""When a posted letter should arrive: working days after posting, by postage, in the region's calendar.

Ekopost promises delivery within one working day of posting for priority post and within four for
economy; registered and protected post travel as priority. Working days are the region's
(``Regional.working_days``), so the promise holds in Sweden's and Norway's weeks alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

from postbud.domain.regional import Regional
from postbud.domain.shipments import Postage

WORKING_DAYS_TO_ARRIVE: Mapping[Postage, int] = MappingProxyType(
    {Postage.PRIORITY: 1, Postage.ECONOMY: 4, Postage.REGISTERED: 1, Postage.PROTECTED: 1}
)


def expected_arrival(postage: Postage, posted_on: date, region: Regional) -> date:
    return region.add_working_days(posted_on, WORKING_DAYS_TO_ARRIVE[postage])
