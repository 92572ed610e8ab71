"""A document downloaded through the Digipost API (the archive's content, the organisation inbox's
one-time link) is named by an RFC 6266 ``filename*``, sandboxed, not sniffed and not cached."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration import test_digipost_archive as archive_api
from tests.integration import test_digipost_inbox as inbox_api
from tests.integration.digipost_client import SignedClient
from tests.integration.digipost_fixtures import client_on_each_backend
from tests.integration.digipost_requests import get, valid_v8

__all__ = ["archived", "client_on_each_backend"]

archived = archive_api.archived


@pytest.fixture
def client(client_on_each_backend: SignedClient) -> SignedClient:
    """Each test here on SQLite and on PostgreSQL."""
    return client_on_each_backend


def _is_a_safe_download(response: Any, disposition: str, filename: str) -> None:
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f"{disposition}; filename*=UTF-8''{filename}"
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_archived_content_is_a_safe_download(archived: tuple[SignedClient, list[str]]) -> None:
    client, ids = archived
    q = archive_api.q
    document = valid_v8(get(client, f"/digipost/archives/documents/uuid/{ids[0]}")).find(q("documents"))
    assert document is not None
    own = archive_api.links(document)
    content = valid_v8(archive_api.follow(client, own["get_archive_document_content"]))
    view = client.http.get(archive_api.path_of(content.findtext(q("uri")) or "")[0])
    _is_a_safe_download(view, "inline", f"{ids[0]}.pdf")
    stream = archive_api.follow(client, own["get_archive_document_content_stream"])
    _is_a_safe_download(stream, "attachment", f"{ids[0]}.pdf")


def test_inbox_content_is_a_safe_download(client: SignedClient) -> None:
    inbox_api._with_mailbox(client)
    inbox_api._send_digipost(client, "Vedtak om støtte")
    (document,) = inbox_api._inbox(client).findall(inbox_api.q("document"))
    content_path = inbox_api.path_of(document.findtext(inbox_api.q("content-uri")) or "")
    redirect = inbox_api.content_redirect(client, content_path)
    answer = client.http.get(inbox_api.path_of(redirect.headers["location"]))
    _is_a_safe_download(answer, "attachment", "Vedtak%20om%20st%C3%B8tte.pdf")
