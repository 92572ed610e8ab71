"""C10's names, pure: entries unique without regard to case, cut to 255 UTF-8 bytes with the
extension kept; the zip named by the title's slug."""

from __future__ import annotations

from postbud.dialects.altinn.zip_names import entry_names, zip_name


def test_entry_names_are_unique_without_regard_to_case() -> None:
    assert entry_names(["a.pdf", "A.PDF", "a.pdf", "b.txt", "noext", "NOEXT"]) == [
        "a.pdf",
        "A(1).PDF",
        "a(2).pdf",
        "b.txt",
        "noext",
        "NOEXT(1)",
    ]


def test_a_long_name_is_cut_to_255_bytes_keeping_its_extension_and_whole_letters() -> None:
    (cut,) = entry_names(["æ" * 300 + ".pdf"])
    assert cut.endswith(".pdf")
    assert len(cut.encode()) <= 255
    assert cut == "æ" * 125 + ".pdf"
    first, second = entry_names(["x" * 300 + ".pdf", "x" * 300 + ".pdf"])
    assert len(first.encode()) == 255
    assert second.endswith("(1).pdf")
    assert len(second.encode()) == 255


def test_the_zip_is_named_by_the_titles_slug() -> None:
    assert zip_name("Vedtak om skatt 2026!") == "vedtak-om-skatt-2026.zip"
    assert zip_name("  Søknad -- om   støtte ") == "sknad-om-sttte.zip"
    assert zip_name("!!!") == "correspondence-attachments.zip"
    assert zip_name("CON") == "correspondence-attachments-con.zip"
    long = zip_name("a" * 99 + " b" * 10)
    assert long == "a" * 99 + ".zip"
