"""Altinn bearer tokens: what the sandbox issuer mints, what the verifier refuses and why, and the
policies of reference §10.2 (Sender / Recipient / SenderOrRecipient) with their 401 and 403."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from postbud.crypto.jwt_keys import load_or_create_signing_key, thumbprint
from postbud.dialects.altinn.auth import AltinnAuthError, Policy, caller_for
from postbud.dialects.altinn.tokens import (
    IssuerKind,
    altinn_issuer,
    exchanged_claims,
    maskinporten_issuer,
    mint_organisation_token,
    mint_person_token,
    sandbox_issuers,
    scope_claim,
)
from postbud.dialects.altinn.tokens_verify import TokenRejected, TokenVerifier, VerifiedToken
from postbud.services.sandbox.token_issuer import TokenIssuer, token_issuer

URL = "http://127.0.0.1:8080"
ORG = "974761076"
PERSON = "15108695088"
WRITE = "altinn:correspondence.write"
READ = "altinn:correspondence.read"


@pytest.fixture
def issuer(tmp_path: Path) -> TokenIssuer:
    return token_issuer(tmp_path)


@pytest.fixture
def verifier(issuer: TokenIssuer) -> TokenVerifier:
    return TokenVerifier(issuer, sandbox_issuers(URL))


async def verified(verifier: TokenVerifier, token: str) -> VerifiedToken:
    return await verifier.verify(token)


async def refusal(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(TokenRejected) as caught:
        await verifier.verify(token)
    return caught.value.reason


def _segments(token: str) -> list[str]:
    return token.split(".")


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# --- Keys ---------------------------------------------------------------------------------------


def test_the_key_is_made_once_kept_private_and_named_by_its_thumbprint(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "token-signing.pem"
    first = load_or_create_signing_key(path)
    again = load_or_create_signing_key(path)
    assert first.kid == again.kid == thumbprint(first.public_key)
    assert path.stat().st_mode & 0o777 == 0o600
    jwk = first.public_jwk()
    assert jwk["kty"] == "RSA"
    assert jwk["alg"] == "RS256"
    assert jwk["use"] == "sig"
    assert jwk["kid"] == first.kid
    assert "d" not in jwk  # never the private exponent


def test_the_thumbprint_is_rfc_7638s(tmp_path: Path) -> None:
    # RFC 7638 §3.1's example key and its thumbprint.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL"
        "5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    numbers = rsa.RSAPublicNumbers(
        65537, int.from_bytes(base64.urlsafe_b64decode(n + "=" * (-len(n) % 4)), "big")
    )
    assert thumbprint(numbers.public_key()) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


# --- What is accepted ---------------------------------------------------------------------------


@pytest.mark.anyio
async def test_an_organisations_altinn_token_carries_the_claims_altinn_reads(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    token = mint_organisation_token(issuer, URL, ORG, [WRITE, "altinn:serviceowner"])
    result = await verified(verifier, token)
    assert result.kind is IssuerKind.ALTINN
    assert result.issuer == altinn_issuer(URL)
    claims = result.claims
    assert claims["scope"] == f"{WRITE} altinn:serviceowner"
    assert claims["urn:altinn:orgNumber"] == ORG
    assert claims["consumer"] == {"authority": "iso6523-actorid-upis", "ID": f"0192:{ORG}"}
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert jwt.get_unverified_header(token)["kid"] == issuer.key.kid
    caller = caller_for(result, Policy.SENDER)
    assert caller.organisation_number == ORG
    assert caller.person_id is None
    assert caller.acting_as_sender
    assert not caller.acting_as_recipient
    assert caller.is_service_owner
    assert caller.party_urn == f"urn:altinn:organization:identifier-no:{ORG}"


@pytest.mark.anyio
async def test_a_persons_token_names_the_person(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    result = await verified(verifier, mint_person_token(issuer, URL, PERSON, [READ]))
    caller = caller_for(result, Policy.RECIPIENT)
    assert caller.person_id == PERSON
    assert caller.organisation_number is None
    assert caller.party == PERSON
    assert caller.party_urn == f"urn:altinn:person:identifier-no:{PERSON}"
    assert caller.acting_as_recipient
    assert not caller.acting_as_sender


def test_scopes_may_be_given_together_or_one_by_one() -> None:
    assert scope_claim([f"{WRITE} {READ}", WRITE, " altinn:serviceowner "]) == (
        f"{WRITE} {READ} altinn:serviceowner"
    )


# --- What is refused, and why -------------------------------------------------------------------


@pytest.mark.anyio
async def test_an_expired_token_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    token = mint_organisation_token(issuer, URL, ORG, [WRITE], ttl_seconds=60, now=time.time() - 61)
    assert (await refusal(verifier, token)).startswith("the token expired at ")


@pytest.mark.anyio
async def test_a_token_not_valid_yet_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    token = mint_organisation_token(issuer, URL, ORG, [WRITE], now=time.time() + 120)
    assert "not valid yet" in await refusal(verifier, token)


@pytest.mark.anyio
async def test_a_tampered_token_is_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    header, payload, signature = _segments(mint_organisation_token(issuer, URL, ORG, [READ]))
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = WRITE  # a reader makes itself a sender
    forged = f"{header}.{_b64(claims)}.{signature}"
    assert await refusal(verifier, forged) == "the token's signature is invalid"


@pytest.mark.anyio
async def test_another_issuers_token_is_refused(tmp_path: Path, verifier: TokenVerifier) -> None:
    stranger = token_issuer(tmp_path / "elsewhere")
    token = mint_organisation_token(stranger, "https://platform.tt02.altinn.no", ORG, [WRITE])
    reason = await refusal(verifier, token)
    assert (
        reason == "the issuer 'https://platform.tt02.altinn.no/authentication/api/v1/openid/' is not trusted"
    )


@pytest.mark.anyio
async def test_our_issuer_name_signed_with_another_key_is_refused(
    tmp_path: Path, verifier: TokenVerifier
) -> None:
    stranger = token_issuer(tmp_path / "elsewhere")
    token = mint_organisation_token(stranger, URL, ORG, [WRITE])  # claims to be us
    assert "signed by a key this issuer does not have" in await refusal(verifier, token)
    # ... and naming our key id does not help: the signature is checked with our key.
    forged = jwt.encode(
        jwt.decode(token, options={"verify_signature": False}),
        stranger.key.private_key,
        algorithm="RS256",
        headers={"kid": verifier._own.key.kid},
    )
    assert await refusal(verifier, forged) == "the token's signature is invalid"


@pytest.mark.anyio
async def test_unsigned_and_hmac_tokens_are_refused(issuer: TokenIssuer, verifier: TokenVerifier) -> None:
    claims = {"iss": altinn_issuer(URL), "scope": WRITE, "urn:altinn:orgNumber": ORG, "exp": time.time() + 60}
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    assert "'none' is not accepted" in await refusal(verifier, unsigned)
    public_pem = issuer.key.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # The classic confusion attack: HMAC keyed with the (public) RSA key.
    body = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': issuer.key.kid})}.{_b64(claims)}"
    mac = hmac.new(public_pem, body.encode(), hashlib.sha256).digest()
    hs256 = f"{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    assert "'HS256' is not accepted" in await refusal(verifier, hs256)


@pytest.mark.anyio
async def test_a_token_without_expiry_or_issuer_or_shape_is_refused(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    no_exp = jwt.encode(
        {"iss": altinn_issuer(URL), "scope": WRITE},
        issuer.key.private_key,
        algorithm="RS256",
        headers={"kid": issuer.key.kid},
    )
    assert await refusal(verifier, no_exp) == "the token has no exp claim"
    no_iss = jwt.encode({"scope": WRITE, "exp": time.time() + 60}, issuer.key.private_key, algorithm="RS256")
    assert await refusal(verifier, no_iss) == "the token has no issuer (iss)"
    assert (await refusal(verifier, "not-a-token")).startswith("the token is not a valid JWT")


# --- The policies (§10.2) -----------------------------------------------------------------------


def _verified(kind: IssuerKind, scope: str, **claims: Any) -> VerifiedToken:
    issuer = altinn_issuer(URL) if kind is IssuerKind.ALTINN else maskinporten_issuer(URL)
    consumer = {"authority": "iso6523-actorid-upis", "ID": f"0192:{ORG}"}
    return VerifiedToken({"iss": issuer, "scope": scope, "consumer": consumer, **claims}, issuer, kind)


def _refused(verified: VerifiedToken, policy: Policy) -> AltinnAuthError:
    with pytest.raises(AltinnAuthError) as caught:
        caller_for(verified, policy)
    return caught.value


def test_sender_policy_takes_write_on_an_altinn_token_and_write_plus_serviceowner_on_maskinporten() -> None:
    assert caller_for(_verified(IssuerKind.ALTINN, WRITE), Policy.SENDER).organisation_number == ORG
    both = f"{WRITE} altinn:serviceowner"
    assert caller_for(_verified(IssuerKind.MASKINPORTEN, both), Policy.SENDER).organisation_number == ORG
    refused = _refused(_verified(IssuerKind.MASKINPORTEN, WRITE), Policy.SENDER)
    assert refused.status == 403
    assert "altinn:serviceowner" in refused.detail
    refused = _refused(_verified(IssuerKind.ALTINN, READ), Policy.SENDER)
    assert refused.status == 403
    assert WRITE in refused.detail


def test_recipient_policy_takes_read_on_an_altinn_token_only() -> None:
    assert caller_for(_verified(IssuerKind.ALTINN, READ), Policy.RECIPIENT).acting_as_recipient
    refused = _refused(_verified(IssuerKind.ALTINN, WRITE), Policy.RECIPIENT)
    assert refused.status == 403
    assert READ in refused.detail
    # A raw Maskinporten token is told to exchange it, as Altinn tells it (403, IDX10205).
    refused = _refused(_verified(IssuerKind.MASKINPORTEN, READ), Policy.RECIPIENT)
    assert refused.status == 403
    assert refused.title == "IDX10205: Issuer validation failed"
    assert "Exchange to Altinn token" in refused.detail


def test_sender_or_recipient_takes_either() -> None:
    for kind, scope in [
        (IssuerKind.ALTINN, WRITE),
        (IssuerKind.ALTINN, READ),
        (IssuerKind.MASKINPORTEN, READ),
        (IssuerKind.MASKINPORTEN, f"{WRITE} altinn:serviceowner"),
    ]:
        assert caller_for(_verified(kind, scope), Policy.SENDER_OR_RECIPIENT).organisation_number == ORG
    for kind, scope in [(IssuerKind.ALTINN, "altinn:portal/enduser"), (IssuerKind.MASKINPORTEN, WRITE)]:
        assert _refused(_verified(kind, scope), Policy.SENDER_OR_RECIPIENT).status == 403


def test_the_caller_is_read_as_altinn_reads_it() -> None:
    # A system user's organisation comes first, then urn:altinn:orgNumber, then consumer.
    system_user = [{"type": "urn:altinn:systemuser", "systemuser_org": {"ID": "0192:310000001"}}]
    token = _verified(
        IssuerKind.ALTINN, READ, authorization_details=system_user, **{"urn:altinn:orgNumber": "1"}
    )
    assert caller_for(token, Policy.RECIPIENT).organisation_number == "310000001"
    token = _verified(IssuerKind.ALTINN, READ, **{"urn:altinn:orgNumber": "0192:991825827"})
    assert caller_for(token, Policy.RECIPIENT).organisation_number == "991825827"


def test_a_token_naming_nobody_is_4006() -> None:
    nobody = VerifiedToken({"iss": altinn_issuer(URL), "scope": READ}, altinn_issuer(URL), IssuerKind.ALTINN)
    refused = _refused(nobody, Policy.RECIPIENT)
    assert refused.status == 401
    assert refused.number == 4006
    body = json.loads(bytes(refused.response().body))
    assert body["code"] == "CORR-04006"
    assert body["errorCode"] == 4006
    assert body["detail"] == "Could not determine caller"
    assert body["type"] == "https://tools.ietf.org/html/rfc9110#section-15.5.2"


def test_a_maskinporten_token_exchanged_keeps_its_consumer_and_scopes() -> None:
    maskinporten = {
        "iss": maskinporten_issuer(URL),
        "scope": f"{WRITE} altinn:serviceowner",
        "client_id": "abc",
        "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{ORG}"},
    }
    claims = exchanged_claims(maskinporten, URL)
    assert claims["iss"] == altinn_issuer(URL)
    assert claims["urn:altinn:orgNumber"] == ORG
    assert claims["client_id"] == "abc"
    assert claims["scope"] == f"{WRITE} altinn:serviceowner"
    with pytest.raises(ValueError, match="no consumer"):
        exchanged_claims({"iss": maskinporten_issuer(URL), "scope": WRITE}, URL)


@pytest.mark.anyio
async def test_our_key_for_another_public_url_is_refused_with_a_hint(
    issuer: TokenIssuer, verifier: TokenVerifier
) -> None:
    token = mint_organisation_token(issuer, "http://127.0.0.1:9999", ORG, [WRITE])
    reason = await refusal(verifier, token)
    assert reason.startswith(
        "the issuer 'http://127.0.0.1:9999/authentication/api/v1/openid/' is not trusted;"
    )
    assert f"'{altinn_issuer(URL)}'" in reason
    assert "--public-url" in reason
