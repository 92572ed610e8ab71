"""The words on a cover sheet, in one language: bokmål in Norway, English elsewhere (never a mix).

A print house's cover sheet is read by the postal service and by the recipient, both in the
deployment's country; the plural forms come from ``postbud.domain.wording``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from postbud.domain.wording import counted


@dataclass(frozen=True, slots=True)
class CoverWords:
    return_address: str
    letter: str
    page: tuple[str, str]
    sheet: tuple[str, str]
    contents: str
    """``{pages}`` of documents; ``{sheets}`` in the envelope with this one."""
    postage: str
    postage_names: dict[str, str]
    printed_by: str

    def details(self, letter_id: str, document_pages: int, sheets: int, postage: str) -> list[str]:
        contents = self.contents.format(
            pages=counted(document_pages, *self.page), sheets=counted(sheets, *self.sheet)
        )
        return [
            f"{self.letter} {letter_id}",
            contents,
            f"{self.postage}: {self.postage_names.get(postage, postage)}",
            self.printed_by,
        ]


BOKMAL: Final = CoverWords(
    return_address="Returadresse",
    letter="Brev",
    page=("side", "sider"),
    sheet=("ark", "ark"),
    contents="{pages} med dokumenter; {sheets} i konvolutten medregnet dette",
    postage="Porto",
    postage_names={"economy": "B-post", "priority": "A-post"},
    printed_by="Skrevet ut og postlagt av Postbuds sandkassetrykkeri. Brevet ditt begynner på neste ark.",
)
ENGLISH: Final = CoverWords(
    return_address="Return address",
    letter="Letter",
    page=("page", "pages"),
    sheet=("sheet", "sheets"),
    contents="{pages} of documents; {sheets} in the envelope with this one",
    postage="Postage",
    postage_names={},
    printed_by="Printed and posted by the Postbud sandbox print house. Your letter starts on the next sheet.",
)


def cover_words(home_country: str) -> CoverWords:
    return BOKMAL if home_country.strip().upper() == "NO" else ENGLISH
