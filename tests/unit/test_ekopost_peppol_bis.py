"""The Peppol BIS Billing 3.0 rules Postbud checks on an einvoice envelope's markup."""

from __future__ import annotations

from postbud.dialects.ekopost.peppol_bis import problems_of, well_formed_problems
from tests.integration.test_ekopost_invoices import bis_invoice


def test_a_complete_bis_invoice_passes() -> None:
    assert problems_of(bis_invoice()) == []


def test_each_broken_rule_is_named() -> None:
    broken = bis_invoice(customization="urn:svefaktura").replace(b"<cbc:ID>F-1001</cbc:ID>", b"")
    broken = broken.replace(
        b"<cbc:IssueDate>2026-12-04</cbc:IssueDate>", b"<cbc:IssueDate>4/12</cbc:IssueDate>"
    )
    broken = broken.replace(b"<cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine>", b"")
    rules = {problem.split(":")[0] for problem in problems_of(broken)}
    assert {"PEPPOL-EN16931-R004", "BR-03", "BR-16"} <= rules


def test_not_ubl_not_xml_and_no_dtd() -> None:
    assert problems_of(b"<Order/>")[0].startswith("UBL:")
    assert problems_of(b"<Invoice")[0].startswith("XML:")
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x>&e;</x>'
    assert well_formed_problems(doctype) == ["XML: a document type declaration is not allowed"]
