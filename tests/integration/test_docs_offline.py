"""The API reference pages name no other host: every script, stylesheet and icon they load is served
by Postbud itself (the browser test renders them with the network cut off)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings

_LOADED = re.compile(r"""(?:src|href)="([^"]+)"|url:\s*'([^']+)'|spec-url="([^"]+)\"""")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=tmp_path, workers=0))) as client:
        yield client


@pytest.mark.parametrize(
    ("page", "viewer_asset"),
    [("/api/v1/docs", "swagger-ui-bundle.js"), ("/api/v1/redoc", "redoc.standalone.js")],
)
def test_a_reference_page_loads_everything_from_postbud(
    client: TestClient, page: str, viewer_asset: str
) -> None:
    html = client.get(page).text
    loaded = [next(g for g in match.groups() if g) for match in _LOADED.finditer(html)]
    assert any(viewer_asset in url for url in loaded), loaded
    assert "/api/v1/openapi.json" in loaded
    for url in loaded:
        assert url.startswith("/"), f"{page} loads {url} from elsewhere"
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert len(answer.content) > 0
    assert "fonts.googleapis.com" not in html


def test_the_viewers_files_come_with_their_licences() -> None:
    static = files("fastapi_standalone_docs") / "static"
    assert "Apache License" in (static / "swagger" / "LICENSE").read_text()
    assert "license" in (static / "redoc" / "redoc.standalone.js.LICENSE.txt").read_text().lower()


def test_behind_a_proxy_path_the_pages_load_from_under_it(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, workers=0))
    with TestClient(app, root_path="/postbud") as client:
        for page in ("/api/v1/docs", "/api/v1/redoc"):
            html = client.get(page).text
            loaded = [next(g for g in match.groups() if g) for match in _LOADED.finditer(html)]
            assert loaded, page
            assert all(url.startswith("/postbud/") for url in loaded), loaded
