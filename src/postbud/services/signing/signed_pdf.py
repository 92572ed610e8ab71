"""The signed document: the original PDF, unchanged, with a PAdES signature of the sandbox seal.

The signature is an incremental update: the original bytes stay the signed file's first bytes, and
the signature covers the whole file. Who signed (name, national id, time) is written into the
signature (its reason) and shown as a visible stamp on the last page. pyHanko writes it (PAdES
baseline B-B: ETSI.CAdES.detached, SHA-256, the signing certificate as a signed attribute).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from postbud.crypto.document_seal import DocumentSeal

FIELD_NAME: Final = "PostbudSignatures"
_STAMP_BOX: Final = (36, 24, 396, 24 + 14)
"""Where the stamp stands on the last page (points from the lower left): one line per signer above."""


@dataclass(frozen=True, slots=True)
class SignatureLine:
    name: str
    national_id: str
    signed_at: datetime


def _stamp_text(lines: Sequence[SignatureLine]) -> str:
    rows = [f"{s.name} ({s.national_id}) {s.signed_at:%Y-%m-%d %H:%M} UTC" for s in lines]
    return "Signed in Postbud (sandbox e-ID):\n" + "\n".join(rows)


def seal_signed_document(original: bytes, lines: Sequence[SignatureLine], seal: DocumentSeal) -> bytes:
    """``original`` with the seal's PAdES signature over it naming every signer. Blocking: run it in
    a thread."""
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(seal.certificate_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(seal.key_der),
        cert_registry=None,  # type: ignore[arg-type]  # pyHanko makes an empty registry of None
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(original), strict=False)
    last_page = int(PdfFileReader(io.BytesIO(original), strict=False).root["/Pages"]["/Count"]) - 1
    box = (_STAMP_BOX[0], _STAMP_BOX[1], _STAMP_BOX[2], _STAMP_BOX[3] + 11 * len(lines))
    fields.append_signature_field(writer, fields.SigFieldSpec(FIELD_NAME, on_page=last_page, box=box))
    names = ", ".join(f"{s.name} ({s.national_id})" for s in lines)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=f"Signed in the inbox by: {names}",
        location="Postbud sandbox",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    style = TextStampStyle(stamp_text=_stamp_text(lines), border_width=0)
    pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=style)
    signed: bytes = pdf_signer.sign_pdf(writer).getvalue()
    return signed
