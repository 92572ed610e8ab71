"""Altinn's own use-case test (Test/Altinn.Correspondence.UseCaseTests/case_initialize_correspondence.js,
k6) replayed step by step against the whole Postbud app, with only the base URL and the tokens changed:
its token helpers log in at Maskinporten with a signed client assertion (here Postbud's sandbox
``/maskinporten/token``, the client being the service owner's registered sender and certificate key), exchange
the token at ``/authentication/api/v1/exchange/maskinporten`` (``Accept: application/json``), and use one
service owner's client for both roles: ``write serviceowner`` to send, ``read serviceowner`` to
poll, download and purge as the recipient would."""

from __future__ import annotations

import time
import uuid

import httpx2
import jwt
from cryptography.hazmat.primitives import serialization

from tests.integration.test_altinn_auth_sdk import OWNER, RESOURCE, Live, live

__all__ = ["live"]

RECIPIENT = "urn:altinn:organization:identifier-no:988077917"
ATTACHMENT = b"Use case attachment\n" * 64


def _altinn_token(live: Live, key_pem: bytes, scope: str) -> str:
    """maskinportenJwtBuilder.js, maskinportenTokenService.js and altinnTokenService.js, at Postbud."""
    token_url = f"{live.url}/maskinporten/token"
    now = int(time.time())
    payload = {
        "aud": token_url,
        "scope": scope,
        "iss": OWNER,
        "sub": OWNER,
        "iat": now,
        "nbf": now - 5,
        "exp": now + 120,
        "jti": f"{now}-{uuid.uuid4().hex}",
    }
    key = serialization.load_pem_private_key(key_pem, None)
    assertion = jwt.encode(payload, key, algorithm="RS256", headers={"typ": "JWT", "kid": "usecase"})
    res = httpx2.post(
        token_url,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert res.status_code == 200, res.text
    maskinporten = res.json()["access_token"]
    headers = {"Authorization": f"Bearer {maskinporten}", "Accept": "application/json"}
    res = httpx2.get(f"{live.url}/authentication/api/v1/exchange/maskinporten", headers=headers, timeout=30)
    assert res.status_code == 200, res.text
    parsed = res.json()
    assert isinstance(parsed, str)
    return parsed


def test_altinns_use_case_passes_with_only_the_base_url_and_tokens_changed(live: Live) -> None:
    base_url = live.url
    key_pem = live.owner_client_key()
    sender_token = _altinn_token(live, key_pem, "altinn:correspondence.write altinn:serviceowner")
    recipient_token = _altinn_token(live, key_pem, "altinn:correspondence.read altinn:serviceowner")
    sender = {"Authorization": f"Bearer {sender_token}"}
    recipient = {"Authorization": f"Bearer {recipient_token}"}

    # TC01: initialize with a new attachment (multipart, the k6 form keys).
    form = {
        "request.Correspondence.ResourceId": RESOURCE,
        "request.Correspondence.SendersReference": "usecase-1",
        "request.Correspondence.Content.Language": "nb",
        "request.Correspondence.Content.MessageTitle": "Use case test title",
        "request.Correspondence.Content.MessageSummary": "Use case test summary",
        "request.Correspondence.Content.MessageBody": "Use case test body",
        "request.Correspondence.Content.Attachments[0].FileName": "usecase-attachment.txt",
        "request.Correspondence.Content.Attachments[0].DisplayName": "usecase-attachment.txt",
        "request.Correspondence.Content.Attachments[0].IsEncrypted": "false",
        "request.Correspondence.Content.Attachments[0].SendersReference": "usecase-attachment-1",
        "request.Correspondence.Content.Attachments[0].DataLocationType": "0",
        "request.Recipients[0]": RECIPIENT,
    }
    files = {"attachments": ("usecase-attachment.txt", ATTACHMENT, "text/plain")}
    res = httpx2.post(
        f"{base_url}/correspondence/api/v1/correspondence/upload", data=form, files=files, headers=sender
    )
    assert res.status_code == 200, res.text
    payload = res.json()
    correspondence_id = payload["correspondences"][0]["correspondenceId"]
    attachment_id = payload["attachmentIds"][0]
    assert isinstance(correspondence_id, str)
    assert isinstance(attachment_id, str)

    # TC02: poll as "recipient" until status is 2 or "Published".
    published = False
    for _ in range(100):
        r = httpx2.get(
            f"{base_url}/correspondence/api/v1/correspondence/{correspondence_id}", headers=recipient
        )
        if r.status_code == 200 and r.json()["status"] in (2, "Published"):
            published = True
            break
        assert r.status_code in (200, 404), r.text
        time.sleep(0.3)
    assert published

    # TC03: attachment overview as sender.
    r = httpx2.get(f"{base_url}/correspondence/api/v1/attachment/{attachment_id}", headers=sender)
    assert r.status_code == 200, r.text
    assert isinstance(r.json(), dict)

    # TC04: download as recipient, byte-identical.
    correspondence = f"{base_url}/correspondence/api/v1/correspondence/{correspondence_id}"
    url = f"{correspondence}/attachment/{attachment_id}/download"
    r = httpx2.get(url, headers=recipient)
    assert r.status_code == 200, r.text
    assert r.content == ATTACHMENT

    # TC05: purge as recipient, then the overview is 404.
    r = httpx2.delete(
        f"{base_url}/correspondence/api/v1/correspondence/{correspondence_id}/purge", headers=recipient
    )
    assert r.status_code == 200, r.text
    verify = httpx2.get(
        f"{base_url}/correspondence/api/v1/correspondence/{correspondence_id}", headers=recipient
    )
    assert verify.status_code == 404
