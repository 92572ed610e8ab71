"""Digipost request/response signing (digipost.md §2) and key loading."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from postbud.crypto.keys import (
    KeyLoadError,
    certificate_pem,
    generate_test_key_and_certificate,
    load_certificate,
    load_pkcs12,
    load_private_key,
    load_public_key,
)
from postbud.dialects.digipost.signing import (
    DIGIPOST_SIGNED_HEADERS,
    EMPTY_BODY_SHA256,
    RequestCheckFailed,
    ResponseVerificationFailed,
    UnknownBroker,
    check_request,
    content_sha256,
    http_date,
    parse_http_date,
    request_string_to_sign,
    response_string_to_sign,
    sign,
    sign_response_headers,
    verify,
    verify_response,
)

NOW = datetime(2024, 3, 14, 9, 26, 53, tzinfo=UTC)
BROKER_ID = 497013


@dataclass(frozen=True)
class KeyPair:
    private: RSAPrivateKey
    public: RSAPublicKey
    key_pem: bytes
    cert_pem: bytes


def _key_pair(common_name: str) -> KeyPair:
    key_pem, cert_pem = generate_test_key_and_certificate(common_name)
    return KeyPair(load_private_key(key_pem), load_public_key(cert_pem), key_pem, cert_pem)


@pytest.fixture(scope="session")
def broker() -> KeyPair:
    return _key_pair("broker 497013")


@pytest.fixture(scope="session")
def server() -> KeyPair:
    return _key_pair("postbud api")


@pytest.fixture(scope="session")
def stranger() -> KeyPair:
    return _key_pair("someone else")


def client_headers(
    keys: KeyPair,
    *,
    method: str = "GET",
    path: str = "/",
    query: str = "",
    body: bytes | None = None,
    date: datetime = NOW,
) -> dict[str, str]:
    """Headers as the Java client sends them (canonical casing), signed over ``path``."""
    headers = {"X-Digipost-UserId": str(BROKER_ID), "Date": http_date(date)}
    if body is not None:
        headers["X-Content-SHA256"] = content_sha256(body)
    headers["X-Digipost-Signature"] = sign(keys.private, request_string_to_sign(method, path, headers, query))
    return headers


def check(
    headers: Mapping[str, str],
    *,
    method: str = "GET",
    raw_path: str = "/",
    query: str = "",
    body: bytes | None = None,
    key: RSAPublicKey | None,
    now: datetime = NOW,
) -> int:
    return check_request(
        method=method,
        raw_path=raw_path,
        query=query,
        headers=headers,
        body_sha256_b64=None if body is None else content_sha256(body),
        public_key_for=lambda broker_id: key,
        now=now,
    )


def check_fails(headers: Mapping[str, str], **kwargs: object) -> RequestCheckFailed:
    with pytest.raises(RequestCheckFailed) as caught:
        check(headers, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- canonical strings ---------------------------------------------------------------------------


def test_signed_header_names_are_the_four_from_the_clients() -> None:
    assert DIGIPOST_SIGNED_HEADERS == ("content-md5", "date", "x-content-sha256", "x-digipost-userid")


def test_post_with_query_signs_six_lines() -> None:
    headers = {
        "Date": "Mon, 18 Nov 2013 09:06:42 GMT",
        "X-Content-SHA256": "lTapuncSIc7kNyOxcwRvcsm0mfdhmWuiDzGzwh4IZJY=",
        "X-Digipost-UserId": "1234",
    }
    canonical = request_string_to_sign("POST", "/messages", headers, "parameter1=58&parameter2=test")
    assert canonical == (
        "POST\n"
        "/messages\n"
        "date: Mon, 18 Nov 2013 09:06:42 GMT\n"
        "x-content-sha256: lTapuncSIc7kNyOxcwRvcsm0mfdhmWuiDzGzwh4IZJY=\n"
        "x-digipost-userid: 1234\n"
        "parameter1=58&parameter2=test\n"
    )
    assert canonical.count("\n") == 6


def test_get_without_body_signs_five_lines_ending_in_an_empty_query_line() -> None:
    headers = {"Date": "Mon, 18 Nov 2013 09:06:42 GMT", "X-Digipost-UserId": "1234"}
    canonical = request_string_to_sign("get", "/", headers, "")
    assert canonical == "GET\n/\ndate: Mon, 18 Nov 2013 09:06:42 GMT\nx-digipost-userid: 1234\n\n"
    assert canonical.count("\n") == 5
    assert canonical.endswith("x-digipost-userid: 1234\n\n")


def test_header_names_are_case_insensitive_and_other_headers_are_ignored() -> None:
    lower = {"date": "D", "x-content-sha256": "H", "x-digipost-userid": "1"}
    mixed = {
        "DATE": "D",
        "X-Content-Sha256": "H",
        "x-DIGIPOST-userid": "1",
        "Content-Type": "application/vnd.digipost-v8+xml",
        "Accept": "application/vnd.digipost-v8+xml",
        "X-Digipost-Signature": "ignored",
        "User-Agent": "digipost-api-client-java",
    }
    assert request_string_to_sign("POST", "/m", mixed, "") == request_string_to_sign("POST", "/m", lower, "")


def test_present_signed_headers_are_sorted_and_include_content_md5() -> None:
    headers = {"X-Digipost-UserId": "1", "Content-MD5": "bWQ1", "Date": "D"}
    assert request_string_to_sign("PUT", "/x", headers, "") == (
        "PUT\n/x\ncontent-md5: bWQ1\ndate: D\nx-digipost-userid: 1\n\n"
    )


def test_header_values_are_verbatim_but_path_and_query_are_lower_cased() -> None:
    headers = {"Date": "Wed, 29 Jun 2011 14:58:11 GMT", "X-Digipost-UserId": "1"}
    canonical = request_string_to_sign(
        "GET", "/Recipients/Search/Ola%2BNordmann", headers, "From=2024-01-01T00%3A00%3A00.000%2B01%3A00"
    )
    lines = canonical.split("\n")
    assert lines[1] == "/recipients/search/ola%2bnordmann"
    assert lines[2] == "date: Wed, 29 Jun 2011 14:58:11 GMT"
    assert lines[4] == "from=2024-01-01t00%3a00%3a00.000%2b01%3a00"


def test_response_string_has_status_path_headers_and_no_query_line() -> None:
    headers = {
        "Date": "Mon, 18 Nov 2013 09:06:42 GMT",
        "X-Content-SHA256": "lTapuncSIc7kNyOxcwRvcsm0mfdhmWuiDzGzwh4IZJY=",
        "Content-Type": "application/vnd.digipost-v8+xml",
    }
    assert response_string_to_sign(200, "/Messages?x=1", headers) == (
        "200\n/messages\ndate: Mon, 18 Nov 2013 09:06:42 GMT\n"
        "x-content-sha256: lTapuncSIc7kNyOxcwRvcsm0mfdhmWuiDzGzwh4IZJY=\n"
    )


# --- primitives ----------------------------------------------------------------------------------


def test_content_sha256_is_base64_of_the_digest() -> None:
    assert content_sha256(b"") == EMPTY_BODY_SHA256 == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    assert content_sha256(b"abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="


def test_sign_verify_round_trip(broker: KeyPair, stranger: KeyPair) -> None:
    text = "GET\n/\ndate: x\nx-digipost-userid: 1\n\n"
    signature = sign(broker.private, text)
    assert verify(broker.public, text, signature)
    assert not verify(broker.public, text.replace("1", "2"), signature)
    assert not verify(stranger.public, text, signature)


def test_signature_is_deterministic_pkcs1_v15(broker: KeyPair) -> None:
    # PSS would be randomised; Digipost uses SHA256withRSA (PKCS#1 v1.5), which is deterministic.
    assert sign(broker.private, "ø\n") == sign(broker.private, "ø\n")


@pytest.mark.parametrize("garbage", ["", "not base64!", "AAAA", "====" * 3])
def test_verify_rejects_garbage_signatures(broker: KeyPair, garbage: str) -> None:
    assert verify(broker.public, "x", garbage) is False


# --- dates ---------------------------------------------------------------------------------------


def test_http_date_is_rfc1123_gmt() -> None:
    assert (
        http_date(datetime(2011, 6, 29, 14, 58, 11, 999_000, tzinfo=UTC)) == "Wed, 29 Jun 2011 14:58:11 GMT"
    )
    oslo_summer = timezone(timedelta(hours=2))
    assert http_date(datetime(2011, 6, 29, 16, 58, 11, tzinfo=oslo_summer)) == "Wed, 29 Jun 2011 14:58:11 GMT"
    assert http_date(datetime(2024, 1, 5, 3, 4, 5, tzinfo=UTC)) == "Fri, 05 Jan 2024 03:04:05 GMT"


def test_http_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        http_date(datetime(2011, 6, 29, 14, 58, 11))


def test_http_date_defaults_to_now() -> None:
    assert abs(parse_http_date(http_date()) - datetime.now(UTC)) < timedelta(seconds=5)


def test_parse_http_date_round_trips_and_accepts_offsets() -> None:
    assert parse_http_date("Wed, 29 Jun 2011 14:58:11 GMT") == datetime(2011, 6, 29, 14, 58, 11, tzinfo=UTC)
    assert parse_http_date(http_date(NOW)) == NOW
    assert parse_http_date("Wed, 29 Jun 2011 16:58:11 +0200") == datetime(2011, 6, 29, 14, 58, 11, tzinfo=UTC)
    assert parse_http_date("Wed, 1 Jun 2011 14:58:11 GMT").day == 1


@pytest.mark.parametrize(
    "value",
    [
        "",
        "2011-06-29T14:58:11Z",
        "Thu, 29 Jun 2011 14:58:11 GMT",  # wrong weekday
        "Wed, 29 June 2011 14:58:11 GMT",
        "Wed, 31 Feb 2011 14:58:11 GMT",
        "Wed, 29 Jun 2011 14:58:11",
        "Wednesday, 29-Jun-11 14:58:11 GMT",
        "wed, 29 jun 2011 14:58:11 gmt",
    ],
)
def test_parse_http_date_rejects_other_formats(value: str) -> None:
    with pytest.raises(ValueError, match=r"RFC 1123|weekday"):
        parse_http_date(value)


# --- check_request: happy paths ------------------------------------------------------------------


def test_signed_get_passes_and_returns_the_broker_id(broker: KeyPair) -> None:
    assert check(client_headers(broker), key=broker.public) == BROKER_ID


def test_signed_post_with_body_and_query_passes(broker: KeyPair) -> None:
    body = b"--boundary\r\nContent-Type: application/vnd.digipost-v8+xml\r\n\r\n<message/>\r\n--boundary--"
    headers = client_headers(broker, method="POST", path="/messages", query="a=1&B=%2B", body=body)
    assert check(
        headers, method="POST", raw_path="/messages", query="a=1&B=%2B", body=body, key=broker.public
    )


def test_headers_arriving_lower_cased_still_verify(broker: KeyPair) -> None:
    asgi_style = {name.lower(): value for name, value in client_headers(broker, body=b"x").items()}
    assert check(asgi_style, body=b"x", key=broker.public) == BROKER_ID


def test_empty_body_hash_header_is_accepted_without_a_body(broker: KeyPair) -> None:
    headers = client_headers(broker, method="POST", path="/batches/1/complete", body=b"")
    assert check(headers, method="POST", raw_path="/batches/1/complete", body=None, key=broker.public)
    assert check(headers, method="POST", raw_path="/batches/1/complete", body=b"", key=broker.public)


@pytest.mark.parametrize("skew", [timedelta(minutes=4, seconds=59), -timedelta(minutes=4, seconds=59)])
def test_clock_skew_under_five_minutes_is_accepted(broker: KeyPair, skew: timedelta) -> None:
    assert check(client_headers(broker, date=NOW + skew), key=broker.public) == BROKER_ID


# --- check_request: raw vs decoded path (§2.3) ---------------------------------------------------

RAW_SEARCH = "/recipients/search/Ola%20N%C3%B8rdmann"


def test_signature_over_the_raw_percent_encoded_path_is_accepted(broker: KeyPair) -> None:
    headers = client_headers(broker, path=RAW_SEARCH)
    assert check(headers, raw_path=RAW_SEARCH, key=broker.public) == BROKER_ID


def test_signature_over_the_decoded_path_is_accepted(broker: KeyPair) -> None:
    headers = client_headers(broker, path="/recipients/search/Ola Nørdmann")
    assert check(headers, raw_path=RAW_SEARCH, key=broker.public) == BROKER_ID


def test_signature_over_another_path_is_rejected(broker: KeyPair) -> None:
    headers = client_headers(broker, path="/recipients/search/kari")
    assert check_fails(headers, raw_path=RAW_SEARCH, key=broker.public).code == "INVALID_SIGNATURE"


def test_signature_over_another_query_is_rejected(broker: KeyPair) -> None:
    headers = client_headers(broker, path="/documents/events", query="offset=0")
    failure = check_fails(headers, raw_path="/documents/events", query="offset=100", key=broker.public)
    assert failure.code == "INVALID_SIGNATURE"


# --- check_request: each failure -----------------------------------------------------------------


@pytest.mark.parametrize("user_id", [None, "", "abc", "12a", "-5", "1 2", "١٢٣", "9" * 19])
def test_bad_user_id_header(broker: KeyPair, user_id: str | None) -> None:
    headers = client_headers(broker)
    del headers["X-Digipost-UserId"]
    if user_id is not None:
        headers["X-Digipost-UserId"] = user_id
    failure = check_fails(headers, key=broker.public)
    assert (failure.code, failure.http_status) == ("INVALID_USER_ID_HEADER", 400)


def test_unknown_broker(broker: KeyPair) -> None:
    def lookup(broker_id: int) -> RSAPublicKey | None:
        raise UnknownBroker(broker_id)

    with pytest.raises(RequestCheckFailed) as caught:
        check_request(
            method="GET",
            raw_path="/",
            query="",
            headers=client_headers(broker),
            body_sha256_b64=None,
            public_key_for=lookup,
            now=NOW,
        )
    assert (caught.value.code, caught.value.http_status) == ("UNKNOWN_USER_ID", 403)


def test_missing_date(broker: KeyPair) -> None:
    headers = client_headers(broker)
    del headers["Date"]
    failure = check_fails(headers, key=broker.public)
    assert (failure.code, failure.http_status) == ("MISSING_DATE_HEADER", 400)


def test_invalid_date(broker: KeyPair) -> None:
    headers = client_headers(broker) | {"Date": "2024-03-14T09:26:53Z"}
    failure = check_fails(headers, key=broker.public)
    assert (failure.code, failure.http_status) == ("INVALID_DATE_HEADER", 400)


@pytest.mark.parametrize("skew", [timedelta(minutes=5, seconds=1), -timedelta(minutes=5, seconds=1)])
def test_stale_or_future_date(broker: KeyPair, skew: timedelta) -> None:
    failure = check_fails(client_headers(broker, date=NOW + skew), key=broker.public)
    assert (failure.code, failure.http_status) == ("DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL", 400)


def test_body_without_hash_header(broker: KeyPair) -> None:
    headers = client_headers(broker, method="POST", path="/messages")
    failure = check_fails(headers, method="POST", raw_path="/messages", body=b"<message/>", key=broker.public)
    assert (failure.code, failure.http_status) == ("MISSING_SHA256", 400)


def test_body_hash_mismatch(broker: KeyPair) -> None:
    headers = client_headers(broker, method="POST", path="/messages", body=b"<message/>")
    failure = check_fails(
        headers, method="POST", raw_path="/messages", body=b"<message />", key=broker.public
    )
    assert (failure.code, failure.http_status) == ("INVALID_SHA256", 400)


def test_hash_header_for_a_body_that_never_arrived(broker: KeyPair) -> None:
    headers = client_headers(broker, body=b"something")
    failure = check_fails(headers, body=None, key=broker.public)
    assert failure.code == "INVALID_SHA256"


def test_missing_signature(broker: KeyPair) -> None:
    headers = client_headers(broker)
    del headers["X-Digipost-Signature"]
    failure = check_fails(headers, key=broker.public)
    assert (failure.code, failure.http_status) == ("MISSING_SIGNATURE", 400)


def test_missing_certificate(broker: KeyPair) -> None:
    failure = check_fails(client_headers(broker), key=None)
    assert (failure.code, failure.http_status, failure.error_type) == (
        "MISSING_CERTIFICATE",
        403,
        "CONFIGURATION",
    )


def test_invalid_signature_echoes_the_server_canonical_string(broker: KeyPair, stranger: KeyPair) -> None:
    headers = client_headers(stranger, path="/Messages", query="A=1")
    failure = check_fails(headers, raw_path="/Messages", query="A=1", key=broker.public)
    assert (failure.code, failure.http_status, failure.error_type) == (
        "INVALID_SIGNATURE",
        403,
        "CLIENT_TECHNICAL",
    )
    canonical = f"GET\n/messages\ndate: {http_date(NOW)}\nx-digipost-userid: {BROKER_ID}\na=1\n"
    assert f"\n===START===\n{canonical}===SLUTT===" in failure.message


def test_checks_run_in_the_documented_order(broker: KeyPair) -> None:
    only_user = {"X-Digipost-UserId": "1"}
    assert check_fails(only_user, key=None).code == "MISSING_DATE_HEADER"
    with_date = only_user | {"Date": http_date(NOW)}
    assert check_fails(with_date, body=b"x", key=None).code == "MISSING_SHA256"
    assert check_fails(with_date, key=None).code == "MISSING_SIGNATURE"


def test_tampered_signed_header_is_rejected(broker: KeyPair) -> None:
    headers = client_headers(broker) | {"X-Digipost-UserId": "497014"}
    assert check_fails(headers, key=broker.public).code == "INVALID_SIGNATURE"


# --- responses -----------------------------------------------------------------------------------


def test_response_signature_round_trip(server: KeyPair) -> None:
    body = b'<message-delivery xmlns="http://api.digipost.no/schema/v8"/>'
    headers = sign_response_headers(
        status=201, request_path="/messages", body=body, private_key=server.private, now=NOW
    )
    assert list(headers) == ["date", "x-content-sha256", "x-digipost-signature"]
    assert headers["date"] == http_date(NOW)
    assert headers["x-content-sha256"] == content_sha256(body)
    verify_response(
        status=201,
        request_path="/messages",
        headers=headers,
        body=body,
        public_key=server.public,
        now=NOW + timedelta(minutes=4),
        max_skew=timedelta(minutes=5),
    )


def test_empty_response_has_no_hash_header_and_verifies(server: KeyPair) -> None:
    headers = sign_response_headers(
        status=204, request_path="/x", body=b"", private_key=server.private, now=NOW
    )
    assert "x-content-sha256" not in headers
    verify_response(
        status=204,
        request_path="/x",
        headers={"Date": headers["date"], "X-Digipost-Signature": headers["x-digipost-signature"]},
        body=b"",
        public_key=server.public,
        now=NOW,
        max_skew=timedelta(minutes=5),
    )


def _verify(server: KeyPair, headers: Mapping[str, str], **overrides: object) -> None:
    arguments: dict[str, object] = {
        "status": 200,
        "request_path": "/",
        "headers": headers,
        "body": b"<entrypoint/>",
        "public_key": server.public,
        "now": NOW,
        "max_skew": timedelta(minutes=5),
    }
    arguments.update(overrides)
    verify_response(**arguments)  # type: ignore[arg-type]


@pytest.fixture
def signed_entrypoint(server: KeyPair) -> dict[str, str]:
    return sign_response_headers(
        status=200, request_path="/", body=b"<entrypoint/>", private_key=server.private, now=NOW
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"body": b"<entrypoint />"}, "does not match"),
        ({"status": 500}, "does not verify"),
        ({"request_path": "/other"}, "does not verify"),
        ({"now": NOW + timedelta(minutes=6)}, "outside"),
        ({"now": NOW - timedelta(minutes=6)}, "outside"),
        ({"public_key": None}, "No server certificate"),
    ],
)
def test_tampered_or_stale_responses_fail(
    server: KeyPair, signed_entrypoint: dict[str, str], overrides: dict[str, object], reason: str
) -> None:
    with pytest.raises(ResponseVerificationFailed, match=reason) as caught:
        _verify(server, signed_entrypoint, **overrides)
    assert caught.value.code == "SERVER_SIGNATURE_ERROR"


def test_response_signed_by_another_key_fails(
    server: KeyPair, stranger: KeyPair, signed_entrypoint: dict[str, str]
) -> None:
    with pytest.raises(ResponseVerificationFailed):
        _verify(server, signed_entrypoint, public_key=stranger.public)


@pytest.mark.parametrize("missing", ["date", "x-content-sha256", "x-digipost-signature"])
def test_response_missing_a_header_fails(
    server: KeyPair, signed_entrypoint: dict[str, str], missing: str
) -> None:
    headers = {name: value for name, value in signed_entrypoint.items() if name != missing}
    with pytest.raises(ResponseVerificationFailed):
        _verify(server, headers)


def test_unsigned_entrypoint_is_allowed_when_not_expected(
    server: KeyPair, signed_entrypoint: dict[str, str]
) -> None:
    unsigned = {name: value for name, value in signed_entrypoint.items() if name != "x-digipost-signature"}
    _verify(server, unsigned, public_key=None, expect_signature=False)
    with pytest.raises(ResponseVerificationFailed, match="outside"):
        _verify(server, unsigned, public_key=None, expect_signature=False, now=NOW + timedelta(hours=1))


def test_response_headers_with_canonical_casing_verify(
    server: KeyPair, signed_entrypoint: dict[str, str]
) -> None:
    canonical_case = {
        "Date": signed_entrypoint["date"],
        "X-Content-SHA256": signed_entrypoint["x-content-sha256"],
        "X-Digipost-Signature": signed_entrypoint["x-digipost-signature"],
    }
    _verify(server, canonical_case)


# --- keys ----------------------------------------------------------------------------------------


def test_generated_certificate_is_self_signed_rsa_2048(broker: KeyPair) -> None:
    certificate = load_certificate(broker.cert_pem)
    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "broker 497013"
    assert certificate.issuer == certificate.subject
    assert broker.public.key_size == 2048
    assert (certificate.not_valid_after_utc - certificate.not_valid_before_utc).days >= 3650
    assert broker.public.public_numbers() == broker.private.public_key().public_numbers()
    assert certificate_pem(certificate).encode() == broker.cert_pem


def test_certificate_and_public_key_load_from_pem_and_der(broker: KeyPair) -> None:
    certificate = load_certificate(broker.cert_pem)
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert load_certificate(der) == certificate
    spki_pem = broker.public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    spki_der = broker.public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for source in (broker.cert_pem, der, spki_pem, spki_der):
        assert load_public_key(source).public_numbers() == broker.public.public_numbers()


def test_private_key_loads_from_pkcs12_with_password(broker: KeyPair) -> None:
    certificate = load_certificate(broker.cert_pem)
    p12 = pkcs12.serialize_key_and_certificates(
        b"broker", broker.private, certificate, None, serialization.BestAvailableEncryption(b"hemmelig")
    )
    assert load_private_key(p12, "hemmelig").private_numbers() == broker.private.private_numbers()
    key, cert = load_pkcs12(p12, b"hemmelig")
    assert cert == certificate
    assert key.private_numbers() == broker.private.private_numbers()
    with pytest.raises(KeyLoadError):
        load_private_key(p12, "wrong")


def test_private_key_loads_from_encrypted_pem_and_der(broker: KeyPair) -> None:
    encrypted = broker.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw"),
    )
    assert load_private_key(encrypted, b"pw").private_numbers() == broker.private.private_numbers()
    der = broker.private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert load_private_key(der).private_numbers() == broker.private.private_numbers()


def test_non_rsa_and_junk_inputs_are_refused() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_pem = ec_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(KeyLoadError, match="RSA"):
        load_private_key(ec_pem)
    ec_public = ec_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(KeyLoadError, match="RSA"):
        load_public_key(ec_public)
    for junk in (
        b"",
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        b"\x30\x03\x02\x01\x00",
    ):
        with pytest.raises(KeyLoadError):
            load_public_key(junk)
        with pytest.raises(KeyLoadError):
            load_private_key(junk)
