"""Reading a postal address out of the text in a letter's envelope window (pure).

The window holds the recipient's name, perhaps a c/o line, street lines, then the postal code and
city (Swedish ``123 45 Stad`` or ``12345 Stad``, Norwegian ``0155 Oslo``, with an optional ``SE-``
prefix), and perhaps a country. Without a name and a postal line it is no address.
"""

from __future__ import annotations

import re

from postbud.dialects.ekopost.countries import country_code
from postbud.domain.parties import PostalAddress

MAX_ROW = 100
_POSTAL_LINE = re.compile(r"^(?:(?P<prefix>[A-Z]{1,2})-)?(?P<code>\d{3}\s?\d{2}|\d{4})\s+(?P<city>\S.*)$")


def address_in(text: str) -> PostalAddress | None:
    rows = [" ".join(row.split()) for row in text.replace("\r", "\n").split("\n")]
    rows = [row for row in rows if row]
    if any(len(row) > MAX_ROW for row in rows):
        return None  # no print house reads that as an address
    for index in range(len(rows) - 1, 0, -1):
        match = _POSTAL_LINE.match(rows[index])
        if match is None:
            continue
        name, *streets = rows[:index]
        after = rows[index + 1 :]
        country = (country_code(after[0]) if after else None) or (
            country_code(match["prefix"]) if match["prefix"] else None
        )
        return PostalAddress(name, tuple(streets), match["code"], match["city"], country or "")
    return None
