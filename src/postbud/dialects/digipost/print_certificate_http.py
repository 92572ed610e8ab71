"""``GET /print-encryption-certificate`` (``get_print_encryption_certificate``) → ``encryption-certificate``:
the X.509 certificate (PEM) with which senders pre-encrypt letters that may go to print."""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.acting_sender import acting_sender
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace

V8 = namespace(8)


async def print_encryption_certificate(dialect: DigipostDialect, request: Request) -> Response:
    await acting_sender(dialect, request, None)
    root = etree.Element(f"{{{V8}}}encryption-certificate", nsmap={None: V8})
    root.text = dialect.print_key.certificate_pem
    return signed(dialect, request, xml_bytes(root))
