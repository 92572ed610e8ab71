"""RSA keys and X.509 certificates: loading them in any common format, and minting throw-away ones.

Neutral of any dialect: senders' certificates (Digipost), the sandbox's keys and the SDK all use it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

__all__ = [
    "KeyLoadError",
    "certificate_pem",
    "generate_test_key_and_certificate",
    "load_certificate",
    "load_pkcs12",
    "load_private_key",
    "load_public_key",
]

_PEM_MARKER = b"-----BEGIN "


class KeyLoadError(ValueError):
    """The bytes are not a usable RSA key or certificate (wrong format, password or algorithm)."""


def _password_bytes(password: bytes | str | None) -> bytes | None:
    return password.encode("utf-8") if isinstance(password, str) else password


def _require_rsa_private(key: object) -> RSAPrivateKey:
    if not isinstance(key, RSAPrivateKey):
        raise KeyLoadError(f"expected an RSA private key, got {type(key).__name__}")
    return key


def load_pkcs12(data: bytes, password: bytes | str | None) -> tuple[RSAPrivateKey, x509.Certificate | None]:
    """The first key entry of a PKCS#12 key store and its certificate (what the Java client uses)."""
    try:
        key, certificate, _ = pkcs12.load_key_and_certificates(data, _password_bytes(password))
    except ValueError as exc:
        raise KeyLoadError(f"cannot read PKCS#12 key store: {exc}") from exc
    if key is None:
        raise KeyLoadError("the PKCS#12 key store holds no private key")
    return _require_rsa_private(key), certificate


def load_private_key(data: bytes, password: bytes | str | None = None) -> RSAPrivateKey:
    """An RSA private key from PEM (PKCS#1 or PKCS#8), PKCS#12, or DER PKCS#8."""
    secret = _password_bytes(password)
    if _PEM_MARKER in data:
        try:
            return _require_rsa_private(serialization.load_pem_private_key(data, secret))
        except (ValueError, TypeError) as exc:
            raise KeyLoadError(f"cannot read PEM private key: {exc}") from exc
    try:
        return load_pkcs12(data, password)[0]
    except KeyLoadError:
        pass
    try:
        return _require_rsa_private(serialization.load_der_private_key(data, secret))
    except (ValueError, TypeError) as exc:
        raise KeyLoadError("not a PEM, PKCS#12 or DER private key (or the password is wrong)") from exc


def load_certificate(data: bytes) -> x509.Certificate:
    """An X.509 certificate from PEM or DER."""
    try:
        if _PEM_MARKER in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise KeyLoadError(f"cannot read X.509 certificate: {exc}") from exc


def load_public_key(data: bytes) -> RSAPublicKey:
    """An RSA public key from a PEM/DER certificate or a PEM/DER SubjectPublicKeyInfo."""
    try:
        key: object = load_certificate(data).public_key()
    except KeyLoadError:
        try:
            if _PEM_MARKER in data:
                key = serialization.load_pem_public_key(data)
            else:
                key = serialization.load_der_public_key(data)
        except ValueError as exc:
            raise KeyLoadError("not a certificate or public key in PEM or DER") from exc
    if not isinstance(key, RSAPublicKey):
        raise KeyLoadError(f"expected an RSA public key, got {type(key).__name__}")
    return key


def certificate_pem(certificate: x509.Certificate) -> str:
    """PEM text as published in ``entrypoint/certificate``."""
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def self_signed_certificate(key: RSAPrivateKey, common_name: str, *, days: int = 3650) -> bytes:
    """A self-signed X.509 certificate (PEM) for ``key``."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def generate_test_key_and_certificate(common_name: str, *, days: int = 3650) -> tuple[bytes, bytes]:
    """A fresh RSA-2048 key (unencrypted PKCS#8 PEM) and a self-signed X.509 certificate (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, self_signed_certificate(key, common_name, days=days)
