"""Opening CMS EnvelopedData (RFC 5652), as Digipost's clients pre-encrypt documents with it.

The clients (BouncyCastle) write BER with indefinite lengths and the content in chunks; recipients
are named by issuer and serial number (a certificate, for print) or by subject key identifier (a
recipient's public key: Java puts the key id's bytes there). Content encryption is AES-CBC, key
transport RSA PKCS#1 v1.5 (BouncyCastle's default). cryptography's own PKCS#7 reader takes DER and issuer-and-
serial recipients only, hence this small reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = ["NotEnvelopedData", "WrongKey", "decrypt_enveloped_data", "is_enveloped_data"]

_ENVELOPED_DATA = bytes.fromhex("2a864886f70d010703")  # 1.2.840.113549.1.7.3
_RSA = bytes.fromhex("2a864886f70d010101")  # rsaEncryption
_AES_CBC = {
    bytes.fromhex("608648016503040102"): 16,  # aes128-CBC
    bytes.fromhex("608648016503040116"): 24,  # aes192-CBC
    bytes.fromhex("60864801650304012a"): 32,  # aes256-CBC
}
_MAX_DEPTH = 32


class NotEnvelopedData(ValueError):
    """The bytes are not CMS EnvelopedData this reader can open."""


class WrongKey(ValueError):
    """EnvelopedData none of the given keys opens."""


@dataclass(slots=True)
class _Node:
    tag: int
    constructed: bool
    value: bytes = b""
    children: list[_Node] = field(default_factory=list)

    def octets(self) -> bytes:
        """An OCTET STRING's bytes, whether primitive or (BER) constructed from chunks."""
        return self.value if not self.constructed else b"".join(c.octets() for c in self.children)


def _length(data: bytes, pos: int) -> tuple[int | None, int]:
    if pos >= len(data):
        raise NotEnvelopedData("truncated length")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    if first == 0x80:
        return None, pos + 1  # indefinite (BER)
    count = first & 0x7F
    if count > 8 or pos + 1 + count > len(data):
        raise NotEnvelopedData("bad length")
    return int.from_bytes(data[pos + 1 : pos + 1 + count], "big"), pos + 1 + count


def _parse(data: bytes, pos: int, depth: int = 0) -> tuple[_Node, int]:
    if depth > _MAX_DEPTH or pos >= len(data):
        raise NotEnvelopedData("too deep or truncated")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise NotEnvelopedData("high tag numbers are not used in CMS EnvelopedData")
    constructed = bool(tag & 0x20)
    length, pos = _length(data, pos + 1)
    node = _Node(tag, constructed)
    if length is None:
        if not constructed:
            raise NotEnvelopedData("indefinite length on a primitive value")
        while data[pos : pos + 2] != b"\x00\x00":
            child, pos = _parse(data, pos, depth + 1)
            node.children.append(child)
        return node, pos + 2
    end = pos + length
    if end > len(data):
        raise NotEnvelopedData("truncated value")
    if constructed:
        while pos < end:
            child, pos = _parse(data, pos, depth + 1)
            node.children.append(child)
    else:
        node.value = data[pos:end]
    return node, end


def _enveloped(data: bytes) -> _Node:
    try:
        root, _ = _parse(data, 0)
    except IndexError as exc:
        raise NotEnvelopedData("truncated") from exc
    if root.tag != 0x30 or len(root.children) < 2 or root.children[0].value != _ENVELOPED_DATA:
        raise NotEnvelopedData("not a CMS EnvelopedData ContentInfo")
    explicit = root.children[1]
    if explicit.tag != 0xA0 or not explicit.children or explicit.children[0].tag != 0x30:
        raise NotEnvelopedData("no EnvelopedData content")
    return explicit.children[0]


def is_enveloped_data(data: bytes) -> bool:
    try:
        _enveloped(data)
    except NotEnvelopedData:
        return False
    return True


def _unwrap_key(key: RSAPrivateKey, encrypted_key: bytes) -> bytes | None:
    try:
        return key.decrypt(encrypted_key, rsa_padding.PKCS1v15())
    except ValueError:
        return None


def _decrypt_content(content_key: bytes, key_size: int, iv: bytes, ciphertext: bytes) -> bytes | None:
    if len(content_key) != key_size or len(iv) != 16 or len(ciphertext) % 16:
        return None
    decryptor = Cipher(algorithms.AES(content_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:  # a wrong key (RSA's implicit rejection gives one) unpads to nonsense
        return None


def decrypt_enveloped_data(data: bytes, keys: Sequence[RSAPrivateKey]) -> bytes:
    """The content of ``data`` (CMS EnvelopedData), opened with whichever of ``keys`` it was made for.

    Raises NotEnvelopedData for anything else, WrongKey when no key opens it.
    """
    enveloped = _enveloped(data)
    parts = [c for c in enveloped.children if c.tag in (0x31, 0x30)]
    recipient_infos = next((c for c in parts if c.tag == 0x31), None)
    content_info = next((c for c in parts if c.tag == 0x30), None)
    if recipient_infos is None or content_info is None or len(content_info.children) < 3:
        raise NotEnvelopedData("EnvelopedData lacks recipients or content")
    algorithm = content_info.children[1]
    key_size = _AES_CBC.get(algorithm.children[0].value if algorithm.children else b"")
    if key_size is None or len(algorithm.children) < 2:
        raise NotEnvelopedData("content is not AES-CBC encrypted")
    iv = algorithm.children[1].octets()
    ciphertext = content_info.children[2].octets()
    for recipient in recipient_infos.children:
        if recipient.tag != 0x30 or len(recipient.children) < 4:
            continue  # not a key-transport recipient
        key_algorithm = recipient.children[2].children[0].value if recipient.children[2].children else b""
        if key_algorithm != _RSA:
            continue
        encrypted_key = recipient.children[3].octets()
        for key in keys:
            content_key = _unwrap_key(key, encrypted_key)
            if content_key is None:
                continue
            plain = _decrypt_content(content_key, key_size, iv, ciphertext)
            if plain is not None:
                return plain
    raise WrongKey("none of the keys opens this EnvelopedData")
