"""The token routes as ``postbud serve`` serves them (the whole app, SQLite and PostgreSQL): the OpenID
configuration and JWKS read by an independent ``jwt.PyJWKClient``, and the Maskinporten exchange feeding
the SDK's client."""

from __future__ import annotations

import httpx2
import jwt
import pytest

from postbud.crypto.keys import generate_test_key_and_certificate
from postbud.sdk.altinn import (
    AltinnClient,
    MaskinportenExchange,
    MaskinportenToken,
    SandboxToken,
    SearchRole,
    TokenError,
)
from tests.integration.test_altinn_auth_sdk import OWNER, PERSON, RESOURCE, WRITE, Live, _request, live

__all__ = ["live"]

OPENID = "/authentication/api/v1/openid/.well-known/openid-configuration"


def test_the_running_apps_published_keys_verify_its_tokens(live: Live) -> None:
    configuration = httpx2.get(live.url + OPENID, timeout=30).json()
    assert configuration["issuer"] == live.url + "/authentication/api/v1/openid/"
    token = live.sandbox(org=OWNER, scope=WRITE)()
    key = jwt.PyJWKClient(configuration["jwks_uri"]).get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=configuration["issuer"])
    assert claims["urn:altinn:orgNumber"] == OWNER


def test_a_maskinporten_token_exchanged_by_the_sdk_sends_a_correspondence(live: Live) -> None:
    maskinporten = SandboxToken(
        org=OWNER,
        scopes=[f"{WRITE} altinn:serviceowner"],
        data_dir=live.data_dir,
        public_url=live.url,
        maskinporten=True,
    )
    with AltinnClient(live.url, MaskinportenExchange(live.url, maskinporten)) as sender:
        request = _request(PERSON)
        request.correspondence.content.attachments = []
        (sent,) = sender.initialize(request).correspondences
        assert sent.correspondence_id in sender.search(RESOURCE, SearchRole.SENDER)


def test_the_sdk_logs_in_at_maskinporten_as_for_the_real_altinn(live: Live) -> None:
    """MaskinportenToken → MaskinportenExchange → AltinnClient, with Postbud in place of both services."""
    key_pem = live.owner_client_key()
    login = MaskinportenToken(
        live.url + "/maskinporten/token", OWNER, key_pem, [WRITE, "altinn:serviceowner"], kid="key-1"
    )
    with AltinnClient(live.url, MaskinportenExchange(live.url, login)) as sender:
        request = _request(PERSON)
        request.correspondence.content.attachments = []
        (sent,) = sender.initialize(request).correspondences
        assert sender.get_overview(sent.correspondence_id).resource_id == RESOURCE
    wrong_key = MaskinportenToken(
        live.url + "/maskinporten/token", OWNER, generate_test_key_and_certificate("x")[0], [WRITE]
    )
    with pytest.raises(TokenError, match="invalid_grant"):
        wrong_key()
