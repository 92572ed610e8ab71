"""A Peppol BIS Billing 3.0 check of an einvoice envelope's markup (pure).

No maintained Python validator for BIS Billing 3.0 exists (the official ones are Schematron run by
Java tools, phive and KoSIT), so Postbud checks the UBL syntax and these rules, each reported by
its identifier: well-formed XML without a DTD; a UBL 2.1 ``Invoice`` or ``CreditNote``;
PEPPOL-EN16931-R004 (CustomizationID), R001 (ProfileID), R010 and R020 (buyer and seller electronic
addresses); EN 16931 BR-02 (number), BR-03 (issue date), BR-04 (type code), BR-05 (currency),
BR-06 and BR-07 (seller and buyer names), BR-08 and BR-10 (their postal addresses), BR-12 to BR-15
(the document totals), BR-16 (at least one line).
"""

from __future__ import annotations

import re
from typing import Final

from lxml import etree

UBL_INVOICE: Final = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE: Final = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CBC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC: Final = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CUSTOMIZATION: Final = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
_NS: Final = {"cbc": CBC, "cac": CAC}
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARSER: Final = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _text(root: etree._Element, path: str) -> str:
    found = root.find(path, _NS)
    return (found.text or "").strip() if found is not None else ""


def _parsed(xml: bytes) -> etree._Element | str:
    """The document's root, or why it is not well-formed XML without a DTD."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        return f"XML: not well-formed ({exc.msg})"
    if root.getroottree().docinfo.doctype:
        return "XML: a document type declaration is not allowed"
    return root


def problems_of(xml: bytes) -> list[str]:
    """Every rule the document breaks, each as ``RULE-ID: what``; empty when it passes."""
    root = _parsed(xml)
    if isinstance(root, str):
        return [root]
    name = etree.QName(root)
    kinds = {(UBL_INVOICE, "Invoice"): "Invoice", (UBL_CREDIT_NOTE, "CreditNote"): "CreditNote"}
    kind = kinds.get((name.namespace or "", name.localname))
    if kind is None:
        return [f"UBL: the root must be a UBL 2.1 Invoice or CreditNote, not {name.localname}"]
    problems: list[str] = []
    seller, buyer = "cac:AccountingSupplierParty/cac:Party", "cac:AccountingCustomerParty/cac:Party"
    legal, country = (
        "cac:PartyLegalEntity/cbc:RegistrationName",
        "cac:PostalAddress/cac:Country/cbc:IdentificationCode",
    )
    required = [
        ("PEPPOL-EN16931-R001", "cbc:ProfileID", "a business process (ProfileID)"),
        ("BR-02", "cbc:ID", "an invoice number"),
        ("BR-03", "cbc:IssueDate", "an issue date"),
        ("BR-04", f"cbc:{kind}TypeCode", "a type code"),
        ("BR-05", "cbc:DocumentCurrencyCode", "a currency code"),
        ("BR-06", f"{seller}/{legal}", "the seller's name"),
        ("BR-07", f"{buyer}/{legal}", "the buyer's name"),
        ("BR-08", f"{seller}/{country}", "the seller's country"),
        ("BR-10", f"{buyer}/{country}", "the buyer's country"),
        ("PEPPOL-EN16931-R020", f"{seller}/cbc:EndpointID", "the seller's electronic address"),
        ("PEPPOL-EN16931-R010", f"{buyer}/cbc:EndpointID", "the buyer's electronic address"),
        ("BR-12", "cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "the sum of the line amounts"),
        ("BR-13", "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "the total without VAT"),
        ("BR-14", "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "the total with VAT"),
        ("BR-15", "cac:LegalMonetaryTotal/cbc:PayableAmount", "the amount due"),
    ]  # fmt: skip
    if _text(root, "cbc:CustomizationID") != CUSTOMIZATION:
        problems.append(f"PEPPOL-EN16931-R004: CustomizationID must be {CUSTOMIZATION}")
    for rule, path, what in required:
        if not _text(root, path):
            problems.append(f"{rule}: the {kind} must have {what}")
    issued = _text(root, "cbc:IssueDate")
    if issued and not _DATE.match(issued):
        problems.append(f"BR-03: IssueDate {issued!r} must be YYYY-MM-DD")
    if root.find(f"cac:{kind}Line", _NS) is None:
        problems.append(f"BR-16: the {kind} must have at least one {kind}Line")
    return problems


def well_formed_problems(xml: bytes) -> list[str]:
    """For the Svefaktura formats: well-formed XML without a DTD (their schemas are not checked)."""
    root = _parsed(xml)
    return [root] if isinstance(root, str) else []
