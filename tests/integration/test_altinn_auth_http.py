"""Altinn tokens over real HTTP: minted by ``postbud token`` (a real process), checked by
``authenticate`` behind real routes, the keys published as JWKS and read back by an independent
``jwt.PyJWKClient``, the Maskinporten exchange, and an external issuer trusted by its JWKS URL.

The server is uvicorn on a loopback port serving the dialect's token routes and one probe route per
policy that answers the authenticated caller; nothing of Postbud's is replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.dialects.altinn.auth import AltinnAuthError, Policy, authenticate
from postbud.dialects.altinn.token_routes import token_routes
from postbud.sdk.altinn import MaskinportenExchange, SandboxToken, TokenError
from postbud.services.parties.credentials import grant_organisation
from postbud.services.parties.senders import find_sender
from postbud.services.runtime import Runtime
from postbud.services.sandbox.token_issuer import token_issuer
from tests.integration.sdk_live_server import loopback_listener, run_with_runtime, serving

POSTBUD = Path(sys.executable).with_name("postbud")
SENDER_ORG = "974761076"
READER_ORG = "991825827"
PERSON = "15108695088"
WRITE = "altinn:correspondence.write"
READ = "altinn:correspondence.read"
OPENID = "/authentication/api/v1/openid/.well-known/openid-configuration"
EXCHANGE = "/authentication/api/v1/exchange/maskinporten"


@dataclass
class Live:
    url: str
    data_dir: Path
    _state: dict[str, Any] = field(default_factory=dict)

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self._state["runtime"]
        return runtime

    def token(self, *args: str) -> str:
        """``postbud token ARGS`` for this server, run as its own process; the token it printed."""
        done = subprocess.run(
            [str(POSTBUD), "token", *args, "--data-dir", str(self.data_dir), "--public-url", self.url],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def get(self, path: str, token: str | None = None, **headers: str) -> httpx.Response:
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.get(self.url + path, headers=headers, timeout=30)


def _probe(live: Live, policy: Policy) -> Route:
    async def endpoint(request: Request) -> Response:
        try:
            caller = await authenticate(request, live.runtime, policy)
        except AltinnAuthError as exc:
            return exc.response()
        return JSONResponse(
            {
                "organisation": caller.organisation_number,
                "person": caller.person_id,
                "party": caller.party_urn,
                "sender": caller.acting_as_sender,
                "recipient": caller.acting_as_recipient,
                "kind": caller.issuer_kind.value,
            }
        )

    return Route(f"/probe/{policy.value}", endpoint)


@contextlib.contextmanager
def _serve(data_dir: Path) -> Iterator[Live]:
    listener, url = loopback_listener()
    live = Live(url, data_dir)
    settings = Settings(data_dir=data_dir, workers=0, public_url=live.url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        live._state["runtime"] = await build_runtime(settings)
        yield
        await live.runtime.close()

    routes = [*token_routes(lambda: live.runtime), *(_probe(live, policy) for policy in Policy)]
    with serving(Starlette(routes=routes, lifespan=lifespan), listener):
        yield live


@pytest.fixture(scope="module")
def external(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Another Postbud, standing in for an external Altinn issuer (its own key and issuer URL)."""
    with _serve(tmp_path_factory.mktemp("external") / "data") as live:
        yield live


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, external: Live) -> Iterator[Live]:
    trusted = [
        {
            "issuer": external.url + "/authentication/api/v1/openid/",
            "jwks_url": external.url + OPENID + "/jwks",
        }
    ]
    previous = os.environ.get("POSTBUD_ALTINN_TRUSTED_ISSUERS")
    os.environ["POSTBUD_ALTINN_TRUSTED_ISSUERS"] = json.dumps(trusted)
    try:
        with _serve(tmp_path_factory.mktemp("live") / "data") as live:
            yield live
    finally:
        if previous is None:
            os.environ.pop("POSTBUD_ALTINN_TRUSTED_ISSUERS", None)
        else:
            os.environ["POSTBUD_ALTINN_TRUSTED_ISSUERS"] = previous


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["traceId"].startswith("00-")
    return body


# --- Tokens from the CLI, accepted by the policies -----------------------------------------------


def test_cli_tokens_are_accepted_by_the_policies_they_satisfy(live: Live) -> None:
    sender = live.token("--org", SENDER_ORG, "--scope", WRITE)
    reader = live.token("--org", READER_ORG, "--scope", READ)
    person = live.token("--person", PERSON, "--scope", READ)

    answer = live.get("/probe/Sender", sender)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "organisation": SENDER_ORG,
        "person": None,
        "party": f"urn:altinn:organization:identifier-no:{SENDER_ORG}",
        "sender": True,
        "recipient": False,
        "kind": "altinn",
    }
    assert live.get("/probe/Recipient", reader).json()["organisation"] == READER_ORG
    answer = live.get("/probe/Recipient", person).json()
    assert answer["person"] == PERSON
    assert answer["party"] == f"urn:altinn:person:identifier-no:{PERSON}"
    for token in (sender, reader, person):
        assert live.get("/probe/SenderOrRecipient", token).status_code == 200


def test_a_scope_the_policy_does_not_take_is_403(live: Live) -> None:
    reader = live.token("--org", READER_ORG, "--scope", READ)
    body = _problem(live.get("/probe/Sender", reader), 403)
    assert body["title"] == "Forbidden"
    assert body["type"] == "https://tools.ietf.org/html/rfc9110#section-15.5.4"
    assert WRITE in body["detail"]
    sender = live.token("--org", SENDER_ORG, "--scope", WRITE)
    assert READ in _problem(live.get("/probe/Recipient", sender), 403)["detail"]
    other = live.token("--org", SENDER_ORG, "--scope", "altinn:events.subscribe")
    _problem(live.get("/probe/SenderOrRecipient", other), 403)


# --- Refused tokens: 401 with the reason ---------------------------------------------------------


def _challenge(response: httpx.Response) -> str:
    body = _problem(response, 401)
    assert body["type"] == "https://tools.ietf.org/html/rfc9110#section-15.5.2"
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer")
    return challenge


def test_a_missing_token_is_401_with_a_bare_challenge(live: Live) -> None:
    assert _challenge(live.get("/probe/Sender")) == "Bearer"
    assert _challenge(live.get("/probe/Sender", Authorization="Basic dXNlcjpwYXNz")) == "Bearer"


def test_an_expired_token_is_401(live: Live) -> None:
    token = live.token("--org", SENDER_ORG, "--scope", WRITE, "--ttl", "1")
    time.sleep(1.1)
    challenge = _challenge(live.get("/probe/Sender", token))
    assert 'error="invalid_token"' in challenge
    assert 'error_description="the token expired at ' in challenge


def test_a_tampered_token_is_401(live: Live) -> None:
    header, payload, signature = live.token("--org", READER_ORG, "--scope", READ).split(".")
    claims = jwt.decode(f"{header}.{payload}.{signature}", options={"verify_signature": False})
    claims["scope"] = WRITE
    forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    challenge = _challenge(live.get("/probe/Sender", f"{header}.{forged_payload}.{signature}"))
    assert "the token's signature is invalid" in challenge


def test_another_issuers_token_is_401(live: Live, tmp_path: Path) -> None:
    stranger = Live("https://platform.tt02.altinn.no", tmp_path / "stranger")
    challenge = _challenge(live.get("/probe/Sender", stranger.token("--org", SENDER_ORG, "--scope", WRITE)))
    assert "is not trusted" in challenge
    # Our issuer's name, but another data folder's key.
    impostor = Live(live.url, tmp_path / "impostor")
    challenge = _challenge(live.get("/probe/Sender", impostor.token("--org", SENDER_ORG, "--scope", WRITE)))
    assert "signed by a key this issuer does not have" in challenge


# --- JWKS and OpenID configuration --------------------------------------------------------------


def test_an_independent_client_verifies_tokens_with_the_published_keys(live: Live) -> None:
    configuration = live.get(OPENID).json()
    assert configuration["issuer"] == live.url + "/authentication/api/v1/openid/"
    assert configuration["jwks_uri"] == live.url + OPENID + "/jwks"
    token = live.token("--org", SENDER_ORG, "--scope", WRITE)
    key = jwt.PyJWKClient(configuration["jwks_uri"]).get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=configuration["issuer"])
    assert claims["urn:altinn:orgNumber"] == SENDER_ORG
    assert claims["scope"] == WRITE
    keys = live.get(OPENID + "/jwks").json()["keys"]
    assert [k["kid"] for k in keys] == [key.key_id]
    assert all("d" not in k and "p" not in k for k in keys)  # public halves only


def test_the_maskinporten_style_issuer_publishes_the_same_key(live: Live) -> None:
    metadata = live.get("/maskinporten/.well-known/oauth-authorization-server").json()
    assert metadata["issuer"] == live.url + "/maskinporten/"
    token = live.token("--maskinporten", "--org", SENDER_ORG, "--scope", WRITE)
    key = jwt.PyJWKClient(metadata["jwks_uri"]).get_signing_key_from_jwt(token)
    assert jwt.decode(token, key, algorithms=["RS256"], issuer=metadata["issuer"])["consumer"]["ID"] == (
        f"0192:{SENDER_ORG}"
    )


# --- The exchange -------------------------------------------------------------------------------


def test_a_maskinporten_token_is_exchanged_for_an_altinn_token(live: Live) -> None:
    scopes = f"{WRITE} altinn:serviceowner"
    maskinporten = live.token("--maskinporten", "--org", SENDER_ORG, "--scope", scopes)
    # As Altinn's Bruno collection asks: no Accept, the token as plain text.
    answer = live.get(EXCHANGE, maskinporten)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    altinn = answer.text
    claims = jwt.decode(altinn, options={"verify_signature": False})
    assert claims["iss"] == live.url + "/authentication/api/v1/openid/"
    assert claims["urn:altinn:orgNumber"] == SENDER_ORG
    assert claims["scope"] == scopes
    assert live.get("/probe/Sender", altinn).json()["kind"] == "altinn"
    # As Altinn's k6 use-case test asks: Accept: application/json, a JSON string.
    answer = live.get(EXCHANGE, maskinporten, Accept="application/json")
    assert answer.headers["content-type"] == "application/json"
    assert isinstance(answer.json(), str)
    assert (
        live.get(
            "/probe/Recipient",
            live.get(EXCHANGE, live.token("--maskinporten", "--org", READER_ORG, "--scope", READ)).text,
        ).json()["organisation"]
        == READER_ORG
    )


def test_the_exchange_takes_only_valid_maskinporten_tokens(live: Live) -> None:
    altinn = live.token("--org", SENDER_ORG, "--scope", WRITE)
    refused = live.get(EXCHANGE, altinn)
    assert refused.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert "takes a Maskinporten token" in _problem(refused, 401)["detail"]
    _challenge(live.get(EXCHANGE))
    expired = live.token("--maskinporten", "--org", SENDER_ORG, "--scope", WRITE, "--ttl", "1")
    time.sleep(1.1)
    assert "expired" in _challenge(live.get(EXCHANGE, expired))


def test_raw_maskinporten_tokens_follow_altinns_policies(live: Live) -> None:
    owner = live.token("--maskinporten", "--org", SENDER_ORG, "--scope", f"{WRITE} altinn:serviceowner")
    assert live.get("/probe/Sender", owner).json()["kind"] == "maskinporten"
    # Without altinn:serviceowner a Maskinporten token is no sender.
    plain = live.token("--maskinporten", "--org", SENDER_ORG, "--scope", WRITE)
    _problem(live.get("/probe/Sender", plain), 403)
    # Recipient endpoints take Altinn tokens only; Altinn says to exchange it.
    reader = live.token("--maskinporten", "--org", READER_ORG, "--scope", READ)
    body = _problem(live.get("/probe/Recipient", reader), 403)
    assert body["title"] == "IDX10205: Issuer validation failed"
    assert "Exchange to Altinn token" in body["detail"]
    assert live.get("/probe/SenderOrRecipient", reader).status_code == 200


# --- An external issuer, trusted by its JWKS URL -------------------------------------------------


def test_an_external_issuers_tokens_are_verified_with_its_published_keys(live: Live, external: Live) -> None:
    foreign = external.token("--org", READER_ORG, "--scope", READ)
    answer = live.get("/probe/Recipient", foreign)
    assert answer.status_code == 200, answer.text
    assert answer.json()["organisation"] == READER_ORG
    # ... but not a forgery claiming to be it, signed with our key.
    claims = jwt.decode(foreign, options={"verify_signature": False})
    own_key = token_issuer(live.data_dir).key.private_key
    forged = jwt.encode(claims, own_key, algorithm="RS256", headers={"kid": "not-theirs"})
    assert "does not publish" in _challenge(live.get("/probe/Recipient", forged))


def test_cli_refuses_what_it_cannot_mint(live: Live) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(POSTBUD), "token", *args, "--data-dir", str(live.data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    for args, words in [
        (("--org", "974761077", "--scope", WRITE), "MOD11"),
        (("--person", "15108695089", "--scope", READ), "--person"),
        (("--org", SENDER_ORG), "at least one scope"),
        (("--org", SENDER_ORG, "--person", PERSON, "--scope", READ), "exactly one"),
        (("--maskinporten", "--person", PERSON, "--scope", READ), "organisations"),
    ]:
        done = run(*args)
        assert done.returncode == 2, (args, done.stdout)
        assert done.stdout == ""
        assert words in done.stderr, (args, done.stderr)


def test_cli_json_describes_the_token(live: Live) -> None:
    where = ["--data-dir", str(live.data_dir), "--public-url", live.url]
    done = subprocess.run(
        [str(POSTBUD), "token", "--person", PERSON, "--scope", READ, "--ttl", "600", "--json", *where],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    described = json.loads(done.stdout)
    assert described["person"] == PERSON
    assert described["expires_in"] == 600
    assert described["issuer"] == live.url + "/authentication/api/v1/openid/"
    assert described["claims"]["pid"] == PERSON
    assert live.get("/probe/Recipient", described["token"]).json()["person"] == PERSON


# --- The SDK's token providers against the issuer -----------------------------------------------


def test_the_sdk_exchanges_a_maskinporten_token_and_keeps_it_until_it_expires(live: Live) -> None:
    minted: list[str] = []

    def maskinporten() -> str:
        minted.append(
            live.token("--maskinporten", "--org", SENDER_ORG, "--scope", f"{WRITE} altinn:serviceowner")
        )
        return minted[-1]

    provider = MaskinportenExchange(live.url, maskinporten)
    altinn = provider()
    assert provider() == altinn  # cached: one Maskinporten token, one exchange
    assert len(minted) == 1
    assert live.get("/probe/Sender", altinn).json()["kind"] == "altinn"
    with pytest.raises(TokenError, match="answered 401"):
        MaskinportenExchange(live.url, lambda: live.token("--org", SENDER_ORG, "--scope", WRITE))()


def test_the_sdks_sandbox_token_runs_postbud_token(live: Live) -> None:
    provider = SandboxToken(person=PERSON, scopes=[READ], data_dir=live.data_dir, public_url=live.url)
    token = provider()
    assert provider() == token
    assert live.get("/probe/Recipient", token).json()["person"] == PERSON
    broken = SandboxToken(org="974761077", scopes=[WRITE], data_dir=live.data_dir, public_url=live.url)
    with pytest.raises(TokenError, match="MOD11"):
        broken()


# --- The sandbox's Maskinporten token endpoint ---------------------------------------------------


def _client_key(live: Live, orgnr: str, tmp_path: Path) -> bytes:
    """``postbud senders add --generate-key``: a sender whose certificate's key signs its assertions."""
    key_file = tmp_path / f"{orgnr}.pem"
    where = ["--generate-key", str(key_file), "--data-dir", str(live.data_dir)]
    done = subprocess.run(
        [str(POSTBUD), "senders", "add", "--name", f"Org {orgnr}", "--orgnr", orgnr, *where],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return key_file.read_bytes()


def _assertion(key_pem: bytes, client_id: str, scope: str, **changes: Any) -> str:
    """As Altinn's Bruno collection builds it ("Login to Maskinporten (ServiceOwner)")."""
    now = int(time.time())
    claims = {
        "aud": "https://test.maskinporten.no/",
        "scope": scope,
        "iss": client_id,
        "iat": now,
        "exp": now + 120,
    }
    claims.update(changes)
    key = serialization.load_pem_private_key(key_pem, None)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "my-key"})


def _token_grant(
    live: Live, assertion: str, grant_type: str = "urn:ietf:params:oauth:grant-type:jwt-bearer"
) -> httpx.Response:
    return httpx.post(
        live.url + "/maskinporten/token",
        data={"grant_type": grant_type, "assertion": assertion},
        headers={"Accept": "application/json"},
        timeout=30,
    )


def test_a_maskinporten_login_as_altinns_examples_make_it(live: Live, tmp_path: Path) -> None:
    key_pem = _client_key(live, "910000004", tmp_path)
    scopes = "altinn:correspondence.write altinn:serviceowner altinn:events.subscribe"
    answer = _token_grant(live, _assertion(key_pem, "910000004", scopes))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 120
    assert body["scope"] == scopes
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["iss"] == live.url + "/maskinporten/"
    assert claims["consumer"]["ID"] == "0192:910000004"
    # ... then exchanged for an Altinn token, which sends.
    altinn = live.get(EXCHANGE, body["access_token"]).text
    assert live.get("/probe/Sender", altinn).json()["organisation"] == "910000004"
    # The metadata names the endpoint.
    metadata = live.get("/maskinporten/.well-known/oauth-authorization-server").json()
    assert metadata["token_endpoint"] == live.url + "/maskinporten/token"


def test_the_maskinporten_endpoint_refuses_as_oauth_does(live: Live, tmp_path: Path) -> None:
    key_pem = _client_key(live, "920000002", tmp_path)
    _client_key(live, "930000000", tmp_path)  # registered, with a key of its own
    system_user = [{"type": "urn:altinn:systemuser", "systemuser_org": {"ID": "0192:988077917"}}]
    cases = [
        (
            _token_grant(live, _assertion(key_pem, "920000002", READ), "client_credentials"),
            "unsupported_grant_type",
        ),
        (_token_grant(live, ""), "invalid_request"),
        (_token_grant(live, _assertion(key_pem, "abc", READ)), "invalid_client"),
        (_token_grant(live, _assertion(key_pem, "940000009", READ)), "invalid_client"),  # not registered
        (_token_grant(live, _assertion(key_pem, "930000000", READ)), "invalid_grant"),  # another's key
        (
            _token_grant(live, _assertion(key_pem, "920000002", READ, exp=int(time.time()) - 1)),
            "invalid_grant",
        ),
        (
            _token_grant(live, _assertion(key_pem, "920000002", READ, exp=int(time.time()) + 600)),
            "invalid_grant",
        ),
        (
            _token_grant(live, _assertion(key_pem, "920000002", READ, aud="https://elsewhere/")),
            "invalid_grant",
        ),
        (_token_grant(live, _assertion(key_pem, "920000002", "")), "invalid_scope"),
        (
            _token_grant(live, _assertion(key_pem, "920000002", READ, authorization_details=system_user)),
            "invalid_request",
        ),
    ]
    for answer, error in cases:
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"] == error, answer.text
        assert answer.json()["error_description"]


def test_a_client_with_granted_scopes_gets_only_those(live: Live, tmp_path: Path) -> None:
    key_pem = _client_key(live, "950000007", tmp_path)

    async def grant_read(runtime: Runtime) -> None:
        sender = await find_sender("950000007", runtime)
        await grant_organisation(runtime, sender.id, "altinn", (READ,))

    run_with_runtime(Settings(data_dir=live.data_dir, workers=0, public_url=live.url), grant_read)
    assert _token_grant(live, _assertion(key_pem, "950000007", READ)).status_code == 200
    refused = _token_grant(live, _assertion(key_pem, "950000007", f"{READ} {WRITE}"))
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "invalid_scope",
        "error_description": f"the client is not granted {WRITE}",
    }
