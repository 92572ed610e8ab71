"""The entrypoints the Java and .NET clients fetch from the host root reach the Digipost dialect.

Java's ``ApiServiceImpl.fetchEntryPoint`` resolves ``/`` or ``/{senderId}`` against its base URL and
.NET's ``ApiRootUri`` is the relative ``/`` or ``/{senderId}``: with the base URL
``http://host/digipost`` both ask ``http://host/``. A browser asking for ``/`` gets what it got before.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree

from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, whole_app_client
from tests.integration.digipost_requests import request

__all__ = ["whole_app_client"]

RELATIONS = "/relations/"


def _links(root: etree._Element) -> dict[str, str]:
    """Relation name → URI path, as the clients read them (Java resolves the link's path)."""
    return {
        str(link.get("rel")).rsplit(RELATIONS, 1)[-1]: urlsplit(str(link.get("uri"))).path
        for link in root.iter(f"{{{V8}}}link")
    }


def test_a_signed_get_of_the_host_root_is_the_entrypoint(whole_app_client: SignedClient) -> None:
    client = whole_app_client
    response = request(client, "GET", "/")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.digipost-v8+xml")
    client.verify(response, "/")  # signed over the path the client requested
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{V8}}}entrypoint"
    assert root.findtext(f"{{{V8}}}certificate")
    links = _links(root)
    assert links["create_message"] == "/digipost/messages"
    assert links["get_batch"] == "/digipost/batches/"
    assert all(path.startswith("/digipost/") for path in links.values()), links
    mounted = etree.fromstring(request(client, "GET", "/digipost/").content)
    assert _links(mounted) == links


def test_a_signed_get_of_a_sender_id_at_the_root_is_that_senders_entrypoint(
    whole_app_client: SignedClient,
) -> None:
    client = whole_app_client
    path = f"/{BROKER}"
    response = request(client, "GET", path)
    assert response.status_code == 200, response.text
    client.verify(response, path)
    links = _links(etree.fromstring(response.content))
    assert links["get_share_documents_request_state"] == f"/digipost/{BROKER}/share-documents-requests/uuid/"
    assert links["document_status"] == f"/digipost/documents/{BROKER}/"


def test_user_account_creation_at_the_root_reaches_the_dialect(whole_app_client: SignedClient) -> None:
    """Older Java clients post ``/{senderId}/user-accounts`` to the host root; it is answered there."""
    client = whole_app_client
    path = f"/{BROKER}/user-accounts"
    body = (
        b'<user-information xmlns="http://api.digipost.no/schema/v8"><national-identity-number>01088044300'
        b"</national-identity-number><phone-number>+4791234567</phone-number>"
        b"<email-address>ny@example.no</email-address></user-information>"
    )
    response = request(client, "POST", path, body=body)
    assert response.status_code == 200, response.text
    client.verify(response, path)
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}digipost-address")


def test_a_browser_asking_for_the_root_does_not_get_the_digipost_api(whole_app_client: SignedClient) -> None:
    http = whole_app_client.http
    for path in ("/", f"/{BROKER}"):
        response = http.get(path, headers={"Accept": "text/html"})
        assert "x-digipost-signature" not in response.headers
        assert "digipost" not in response.headers.get("content-type", "")
        assert b"entrypoint" not in response.content
    assert http.post(f"/{BROKER}/user-accounts", content=b"x").status_code in (404, 405)
