"""A letter's Markdown body as HTML: formatting kept, raw HTML and script links never let through."""

from __future__ import annotations

import pytest

from postbud.web.markdown import markdown_html


def test_markdown_is_formatted() -> None:
    html = markdown_html("# Vedtak\n\nSe **vedlegg** og [veiledningen](https://example.no/hjelp).")
    assert "<h1>Vedtak</h1>" in html
    assert "<strong>vedlegg</strong>" in html
    assert '<a href="https://example.no/hjelp">veiledningen</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>x</a>",
        "<iframe src='https://example.no'></iframe>",
    ],
)
def test_raw_html_is_text(text: str) -> None:
    html = markdown_html(text)
    assert "<" + text[1:] not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "<javascript:alert(1)>",
        "[x](vbscript:msgbox)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "[x](file:///etc/passwd)",
    ],
)
def test_only_web_and_mail_links(text: str) -> None:
    html = markdown_html(text)
    assert "href=" not in html
    assert "src=" not in html


def test_mail_links_stay() -> None:
    assert '<a href="mailto:post@example.no">' in markdown_html("[skriv](mailto:post@example.no)")
