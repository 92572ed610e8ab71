"""The 21 Digipost datatypes: XSD, models, XML parsing/rendering and the JSON storage form."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from importlib.resources import files
from typing import Any

import pytest
import xmlschema
from lxml import etree

from postbud.dialects.digipost.datatype_wire_names import wire_name
from postbud.dialects.digipost.datatypes_xml import (
    DATATYPES_NAMESPACE,
    datatypes_schema,
    parse_datatype,
    parse_datatype_xml,
    render_datatype,
)
from postbud.dialects.digipost.schema import XmlRejected
from postbud.domain.datatypes import (
    COMPLEMENTED_BY,
    DATATYPE_KINDS,
    Address,
    Appointment,
    DataType,
    DataTypeInvalid,
    ExternalLink,
    Inkasso,
    Invoice,
    Language,
    Proof,
    ShareDocumentsRequest,
    ShareDocumentsRequestSharingStopped,
    datatype_from_dict,
    datatype_to_dict,
)

NS = DATATYPES_NAMESPACE
XSD_BYTES = files("postbud.dialects.digipost.schema").joinpath("datatypes.xsd").read_bytes()


def doc(root: str, body: str = "") -> str:
    return f'<{root} xmlns="{NS}">{body}</{root}>'


def parse(text: str) -> DataType:
    return parse_datatype_xml(text.encode())


@pytest.fixture(scope="module")
def independent_schema() -> xmlschema.XMLSchema10:
    """A second, pure-Python XSD validator, so rendering is not only checked by libxml2."""
    return xmlschema.XMLSchema10(XSD_BYTES.decode())


ADDRESS = (
    "<address><street-address>Storgata 23</street-address><street-address-2>2. etasje</street-address-2>"
    "<postal-code>0011</postal-code><city>Oslo</city><country>Norge</country></address>"
)
LINK = (
    "<url>https://example.no/mer</url><deadline>2024-05-01T12:00:00+02:00</deadline>"
    "<description>Les mer</description><button-text>Åpne</button-text>"
)
BARCODE = (
    "<barcode><barcode-value>7080001234567</barcode-value><barcode-type>code-128</barcode-type>"
    "<barcode-text>Vis ved henting</barcode-text>"
    "<show-value-in-barcode>true</show-value-in-barcode></barcode>"
)

VALID: dict[str, str] = {
    "appointment": doc(
        "appointment",
        "<start-time>2017-10-27T10:00:00+02:00</start-time><end-time>2017-10-27T11:00:00+02:00</end-time>"
        "<arrival-time>Oppmøte senest 15 minutter før timen</arrival-time><place>Oslo City Røntgen</place>"
        f"{ADDRESS}<sub-title>Undersøke smerter i ryggen</sub-title>"
        "<info><title>Informasjon</title><text>Linje 1\n\tLinje 2</text>"
        "</info><info><title>Parkering</title></info>"
        f"<language>EN</language><link>{LINK}</link>",
    ),
    "boligdetaljer": doc(
        "boligdetaljer",
        "<residence><address><unit-number>H0101</unit-number><house-number>11A</house-number>"
        "<street-name>Storgata</street-name><postal-code>0155</postal-code><city>Oslo</city></address>"
        "<matrikkel><kommunenummer>0301</kommunenummer><gaardsnummer>208</gaardsnummer>"
        "<bruksnummer>630</bruksnummer><festenummer>0</festenummer>"
        "<seksjonsnummer>3</seksjonsnummer></matrikkel>"
        "<source>Eiendomsverdi</source><external-id>E-123</external-id></residence>"
        "<hjemmelshavere><name>Ola Nordmann</name><email>ola@example.no</email></hjemmelshavere>"
        "<hjemmelshavere><name>Kari Nordmann</name></hjemmelshavere>"
        "<bruksareal>84</bruksareal><antall-oppholdsrom>3</antall-oppholdsrom>"
        "<antall-baderom>1</antall-baderom>"
        "<omsetningshistorikk><dato>2015-06-01T00:00:00+02:00</dato><beskrivelse>Fritt salg</beskrivelse>"
        "<selger>Per Selger</selger><kjoeper>Ola Nordmann</kjoeper>"
        "<beloep>3500000</beloep></omsetningshistorikk>"
        "<organisasjonsnummer>987654321</organisasjonsnummer><bruksenhet>H0101</bruksenhet>"
        "<andelsnummer>42</andelsnummer>"
        "<heftelser><panthaver>DNB Bank ASA</panthaver><type-pant>Pantedokument</type-pant>"
        "<beloep>2 800 000</beloep></heftelser>"
        "<callToAction><url>https://example.no/bolig</url>"
        "<button-text>Se boligen</button-text></callToAction>"
        "<language>NN</language>",
    ),
    "event": doc(
        "event",
        "<sub-title>Foreldremøte</sub-title>"
        "<start-time><start-time>2024-09-10T18:00:00+02:00</start-time>"
        "<end-time>2024-09-10T19:30:00+02:00</end-time></start-time>"
        "<start-time><start-time>2024-09-17T18:00:00</start-time>"
        "<end-time>2024-09-17T19:30:00</end-time></start-time>"
        "<timeLabel>Tid</timeLabel><description>Møte for foreldre i 1A</description><place>Gymsalen</place>"
        f"<placeLabel>Sted</placeLabel>{ADDRESS}<info><title>Ta med</title><text>Innesko</text></info>"
        f"<barcodeLabel>Billett</barcodeLabel>{BARCODE}"
        "<links><url>https://example.no/skole</url><description>Skolens nettside</description></links>"
        "<links><url>http://example.no/kart</url><description>Kart</description></links>"
        "<language>EN</language>",
    ),
    "externalLink": doc("externalLink", LINK),
    "inkasso": doc(
        "inkasso",
        f"<link>{LINK}</link><due-date>2022-12-03T10:15:30+01:00</due-date><sum>100.21</sum>"
        "<account>25931430000</account><kid>123123123</kid>",
    ),
    "invoice": doc(
        "invoice",
        f"<link>{LINK}</link><due-date>2022-12-03T10:15:30+01:00</due-date><sum>100.21</sum>"
        "<creditor-account>25931430000</creditor-account><kid>123123123</kid>",
    ),
    "invoice-payment": doc(
        "invoice-payment",
        "<payment-id>PAY-1</payment-id><payment-status>PDNG</payment-status>"
        "<payment-time>2024-01-05T12:00:00.123+01:00</payment-time>"
        "<debtor-account>12345678903</debtor-account>"
        "<debtor-account-name>Brukskonto</debtor-account-name><payment-channel>DIGIPOST</payment-channel>"
        "<payment-bank><id>DNBANOKK</id><name>DNB</name></payment-bank>",
    ),
    "opening-receipt": doc("opening-receipt", "<group>contract-2024</group>"),
    "opening-receipt-accepted": doc("opening-receipt-accepted"),
    "payslip": doc("payslip", "<payment-date>2024-01-20</payment-date><net-amount>31415.92</net-amount>"),
    "pickup-notice": doc(
        "pickup-notice",
        "<parcel-id>70701234567890123</parcel-id>"
        "<parcel-uuid>6a2c5c1e-4b0f-4f2e-9a55-0c3a1d2b3c4d</parcel-uuid>"
        f"{BARCODE}<product-name>Pakke i postkassen</product-name>"
        "<arrival-date-time>2024-02-01T08:00:00+01:00</arrival-date-time>"
        "<return-date-time>2024-02-15T20:00:00+01:00</return-date-time>"
        "<recipient><name>Kari Nordmann</name>"
        f"<digipost-address>kari.nordmann#1234</digipost-address>{ADDRESS}"
        "</recipient>"
        f"<sender><name>Nettbutikken AS</name><reference>ORDER-9</reference>{ADDRESS}</sender>"
        "<pickup-place><name>Kiwi Grünerløkka</name><code>123456</code>"
        "<instruction>Ta med legitimasjon</instruction>"
        f"<shelf-location>B12</shelf-location>{ADDRESS}</pickup-place>"
        "<package><length>40</length><width>30</width><height>20</height><weight>1500</weight></package>"
        "<cost><value-to-be-payed>249.00</value-to-be-payed><package-value>1999.90</package-value>"
        "<customs-fee-outlayed>150</customs-fee-outlayed>"
        "<vas-text>Oppkrav</vas-text><customs-fee>99</customs-fee>"
        "<customs-fee-outlay-cost>0</customs-fee-outlay-cost>"
        "<cod-amount>0</cod-amount><cod-fee>0</cod-fee></cost>"
        "<extra-information>Hentes innen 14 dager</extra-information><status>READY_FOR_PICKUP</status>"
        "<tags>VARSEL1</tags><tags>POSTEN</tags><language>NB</language>"
        f"<link>{LINK}</link>",
    ),
    "pickup-notice-status": doc(
        "pickup-notice-status",
        "<status>PICKED_UP</status><occurrence-datetime>2024-02-01T14:03:00+01:00</occurrence-datetime>",
    ),
    "proof": doc(
        "proof",
        "<authorizer-name>Oslo kommune</authorizer-name><background-color>#ff00AA</background-color>"
        "<issued-time>2019-05-23T10:00:00+02:00</issued-time>"
        "<valid-period><period><from>2019-05-23T10:00:00</from><to>2029-05-23T10:00:00</to></period>"
        "<yearly-repeating-period><start-year>2019</start-year><end-year>2029</end-year>"
        "<from><month>4</month><day>1</day><hour>6</hour><min>30</min></from>"
        "<to><month>10</month><day>31</day><time-zone>+01:00</time-zone></to></yearly-repeating-period>"
        "</valid-period>"
        "<proof-holder><firstname>Kari</firstname><surname>Nordmann</surname>"
        f"<social-security-number>01043100358</social-security-number>{ADDRESS}</proof-holder>"
        "<title>Parkeringstillatelse</title><proof-id-name>Tillatelse nr.</proof-id-name>"
        "<proof-id-value>P-2019-42</proof-id-value>"
        "<attribute><title>Sone</title><text>Grünerløkka</text></attribute>"
        "<info><title>Vilkår</title><text>Gjelder kun beboerparkering</text></info><language>NB</language>",
    ),
    "receipt": doc(
        "receipt",
        "<receiptId>F96B6805-2453-478A</receiptId><receiptNumber>1001</receiptNumber>"
        "<purchaseTime>2018-05-27T10:00:00+02:00</purchaseTime><totalPrice>142.00</totalPrice>"
        "<totalVat>28.40</totalVat><currency>NOK</currency><cashier>Benny</cashier><register>15</register>"
        "<merchant-chain>Hip Coffee AS</merchant-chain><merchant-name>Grünerløkka Hip Coffee</merchant-name>"
        f"<merchant-phone-number>12345678</merchant-phone-number><merchant-address>{ADDRESS[9:-10]}"
        f"</merchant-address><orgnumber>123456789</orgnumber>{BARCODE}"
        "<payments><type>Card</type><card-number>************1234</card-number><cardName>VISA</cardName>"
        "<amount>142.00</amount><currency-code>NOK</currency-code><transaction-id>T-1</transaction-id>"
        "<foreign-currency-payment><currency-code>EUR</currency-code><amount>12.50</amount>"
        "<exchange-rate>11.36</exchange-rate><label>Betalt i EUR</label>"
        "</foreign-currency-payment></payments>"
        "<items><item-name>Cappuccino</item-name><item-description>Stor</item-description>"
        "<item-code>CAP-L</item-code><unit>stk</unit><quantity>2.5</quantity><item-price>56.80</item-price>"
        "<item-vat>11.36</item-vat><total-price>142.00</total-price><total-vat>28.40</total-vat>"
        "<discount>0.00</discount><serialNumber>SN1</serialNumber><eanCode>7038010055690</eanCode></items>"
        "<taxiDetails><carPlateNumber>EL12345</carPlateNumber><license>L-9</license>"
        "<orgNumberLicenseHolder>987654321</orgNumberLicenseHolder>"
        "<startTime>2018-05-27T09:00:00+02:00</startTime><stopTime>2018-05-27T09:20:00+02:00</stopTime>"
        "<tips>10</tips><totalMeterPrice>132.00</totalMeterPrice>"
        "<totalDistanceBeforeBoardingInMeters>500</totalDistanceBeforeBoardingInMeters>"
        "<totalDistanceInMeters>8500</totalDistanceInMeters>"
        "<totalDistanceWithPassengerInMeters>8000</totalDistanceWithPassengerInMeters>"
        "<totalTimeBeforeBoardingInSeconds>120</totalTimeBeforeBoardingInSeconds>"
        "<totalTimeInSeconds>1320</totalTimeInSeconds>"
        "<totalTimeWithPassengerInSeconds>1200</totalTimeWithPassengerInSeconds>"
        "<vat><levels><grossAmount>142.00</grossAmount><netAmount>113.60</netAmount><vat>28.40</vat>"
        "<vatPercent>25</vatPercent></levels><sum>28.40</sum></vat></taxiDetails>"
        f"<customer><name>Kari</name>{ADDRESS}<phoneNumber>+4799999999</phoneNumber></customer>"
        f"<delivery><name>Kari</name>{ADDRESS}<terms>Levering på døra</terms></delivery>"
        "<order-number>O-1</order-number><membership-number>M-1</membership-number><comment>Takk!</comment>"
        "<language>EN</language>",
    ),
    "residence": doc(
        "residence",
        "<address><unit-number>U0001</unit-number><house-number>3</house-number>"
        "<street-name>Kirkegata</street-name><postal-code>0153</postal-code><city>Oslo</city></address>"
        "<matrikkel><kommunenummer>301</kommunenummer><gaardsnummer>1</gaardsnummer>"
        "<bruksnummer>2</bruksnummer></matrikkel><source>Kartverket</source><external-id>R-1</external-id>",
    ),
    "share-documents-request": doc(
        "share-documents-request",
        "<max-share-duration-seconds>1209600</max-share-duration-seconds>"
        "<purpose>Vi trenger lønnsslipper for å behandle lånesøknaden</purpose>"
        "<allowed-origin-organisation-numbers>984661185</allowed-origin-organisation-numbers>"
        "<allowed-origin-organisation-numbers>974760673</allowed-origin-organisation-numbers>",
    ),
    "share-documents-request-documents-shared": doc(
        "share-documents-request-documents-shared",
        "<document-ids>1001</document-ids><document-ids>9007199254740993</document-ids>",
    ),
    "share-documents-request-sharing-stopped": doc("share-documents-request-sharing-stopped"),
    "signedDocument": doc(
        "signedDocument",
        "<document-issuer>Banken ASA</document-issuer><document-subject>Låneavtale</document-subject>"
        "<signing-time>2024-03-01T09:15:00Z</signing-time>",
    ),
    "verifiable-credential-notice": doc(
        "verifiable-credential-notice",
        "<title>Førerkort</title><description>Legg det i lommeboka</description>",
    ),
    "verifiable-presentation-notice": doc(
        "verifiable-presentation-notice",
        "<title>Vis alder</title><description>Butikken ber om bevis</description>",
    ),
}

# (xml, field path, rule): at least one per datatype, each breaking one §13 rule.
INVALID: list[tuple[str, str, str]] = [
    (
        VALID["appointment"].replace("<postal-code>0011", "<postal-code>00110000000"),
        "appointment/address/postal-code",
        "maxLength=10",
    ),
    (
        VALID["appointment"].replace("</info>", "</info><info/>", 1),
        "appointment/info",
        "maxOccurs=2",
    ),
    (VALID["appointment"].replace(">EN<", ">SV<"), "appointment/language", "enumeration=NB|NN|EN"),
    (
        doc("appointment", "<end-time>2017-10-27T11:00:00+02:00</end-time>"),
        "appointment/start-time",
        "required",
    ),
    (
        VALID["boligdetaljer"].replace("<unit-number>H0101", "<unit-number>X0101"),
        "boligdetaljer/residence/address/unit-number",
        "pattern=[UKHL][0-9]{4}",
    ),
    (VALID["boligdetaljer"].replace(">84<", ">-1<"), "boligdetaljer/bruksareal", "minInclusive=0"),
    (
        VALID["boligdetaljer"].replace("<name>Kari Nordmann</name>", ""),
        "boligdetaljer/hjemmelshavere[2]/name",
        "required",
    ),
    (
        doc("event", "<sub-title>Uten tid</sub-title>"),
        "event/start-time",
        "required",
    ),
    (
        VALID["event"].replace("http://example.no/kart", "ftp://example.no/kart"),
        "event/links[2]/url",
        "scheme=http|https",
    ),
    (
        VALID["event"].replace("<description>Kart</description>", f"<description>{'x' * 71}</description>"),
        "event/links[2]/description",
        "maxLength=70",
    ),
    (
        doc("externalLink", "<url>javascript:alert(1)</url>"),
        "externalLink/url",
        "scheme=http|https",
    ),
    (
        doc("externalLink", f"<url>https://example.no</url><button-text>{'x' * 31}</button-text>"),
        "externalLink/button-text",
        "maxLength=30",
    ),
    (
        VALID["inkasso"].replace("<account>25931430000", "<account>2593143000"),
        "inkasso/account",
        "pattern=[0-9]{11}",
    ),
    (
        VALID["invoice"].replace("<creditor-account>25931430000", "<creditor-account>2593143xxxx"),
        "invoice/creditor-account",
        "pattern=[0-9]{11}",
    ),
    (VALID["invoice"].replace("<sum>100.21</sum>", ""), "invoice/sum", "required"),
    (VALID["invoice"].replace("<kid>123123123", "<kid>" + "1" * 26), "invoice/kid", "maxLength=25"),
    (
        VALID["invoice-payment"].replace(
            "<payment-bank><id>DNBANOKK</id><name>DNB</name></payment-bank>", ""
        ),
        "invoice-payment/payment-bank",
        "required",
    ),
    (doc("opening-receipt", f"<group>{'g' * 101}</group>"), "opening-receipt/group", "maxLength=100"),
    (doc("opening-receipt-accepted", "<group>x</group>"), "opening-receipt-accepted/group", "unexpected"),
    (doc("payslip", "<payment-date>20.01.2024</payment-date>"), "payslip/payment-date", "type=date"),
    (doc("payslip", "<net-amount>abc</net-amount>"), "payslip/net-amount", "type=decimal"),
    (
        VALID["pickup-notice"].replace("<tags>POSTEN</tags>", "<tags>VARSEL3</tags>"),
        "pickup-notice/tags[2]",
        "enumeration=VARSEL1|VARSEL2|POSTEN",
    ),
    (
        VALID["pickup-notice"].replace("<code>123456</code>", ""),
        "pickup-notice/pickup-place/code",
        "required",
    ),
    (
        doc("pickup-notice-status", "<status>LOST</status>"),
        "pickup-notice-status/status",
        "enumeration=READY_FOR_PICKUP|PICKED_UP|RETURNED|UNKNOWN|DEVIATION",
    ),
    (
        VALID["proof"].replace("#ff00AA", "#ff00A"),
        "proof/background-color",
        "pattern=#[A-SFa-f0-9]{6}",
    ),
    (
        VALID["proof"].replace("<info>", "<info/><info/><info/><info>"),
        "proof/info",
        "maxOccurs=3",
    ),
    (
        VALID["proof"].replace("<month>4</month>", "<month>13</month>"),
        "proof/valid-period/yearly-repeating-period/from/month",
        "maxInclusive=12",
    ),
    (
        doc(
            "proof",
            "<valid-period/><proof-holder><firstname>K</firstname><surname>N</surname></proof-holder>"
            "<title>T</title>",
        ),
        "proof/valid-period",
        "requiredOneOf=period|yearly-repeating-period",
    ),
    (
        VALID["proof"].replace("<social-security-number>01043100358", "<social-security-number>0104310035"),
        "proof/proof-holder/social-security-number",
        "pattern=[0-9]{11}",
    ),
    (VALID["receipt"].replace("<currency>NOK", "<currency>NOKK"), "receipt/currency", "maxLength=3"),
    (VALID["receipt"].replace("<quantity>2.5</quantity>", ""), "receipt/items[1]/quantity", "required"),
    (
        doc("residence", "<source>Kartverket</source>"),
        "residence/address",
        "required",
    ),
    (
        VALID["residence"].replace("<kommunenummer>301", "<kommunenummer>03011"),
        "residence/matrikkel/kommunenummer",
        "pattern=[0-9]{1,4}",
    ),
    (
        doc("share-documents-request", "<max-share-duration-seconds>60</max-share-duration-seconds>"),
        "share-documents-request/purpose",
        "required",
    ),
    (
        VALID["share-documents-request"].replace(">1209600<", ">14 days<"),
        "share-documents-request/max-share-duration-seconds",
        "type=int",
    ),
    (
        doc(
            "share-documents-request-documents-shared",
            "<document-ids>7</document-ids><document-ids>x</document-ids>",
        ),
        "share-documents-request-documents-shared/document-ids[2]",
        "type=int",
    ),
    (
        doc("share-documents-request-sharing-stopped", "stop"),
        "share-documents-request-sharing-stopped",
        "unexpected",
    ),
    (
        VALID["signedDocument"].replace("2024-03-01T09:15:00Z", "yesterday"),
        "signedDocument/signing-time",
        "type=dateTime",
    ),
    (
        doc("verifiable-credential-notice", "<title>T</title><dcql-query>{}</dcql-query>"),
        "verifiable-credential-notice/dcql-query",
        "unexpected",
    ),
    (
        doc("verifiable-presentation-notice", "<title>T</title>"),
        "verifiable-presentation-notice/description",
        "required",
    ),
]


def test_there_are_exactly_the_21_datatypes_of_the_reference() -> None:
    expected = {
        "appointment",
        "boligdetaljer",
        "event",
        "externalLink",
        "inkasso",
        "invoice",
        "invoice-payment",
        "opening-receipt",
        "opening-receipt-accepted",
        "payslip",
        "pickup-notice",
        "pickup-notice-status",
        "proof",
        "receipt",
        "residence",
        "share-documents-request",
        "share-documents-request-documents-shared",
        "share-documents-request-sharing-stopped",
        "signedDocument",
        "verifiable-credential-notice",
        "verifiable-presentation-notice",
    }
    assert set(DATATYPE_KINDS) == expected
    assert set(VALID) == expected
    assert {path.split("/")[0] for _, path, _ in INVALID} == expected
    assert {kind: cls.kind for kind, cls in DATATYPE_KINDS.items()} == {kind: kind for kind in expected}


def test_the_xsd_declares_exactly_the_21_root_elements(independent_schema: xmlschema.XMLSchema10) -> None:
    assert set(independent_schema.elements) == set(DATATYPE_KINDS)
    assert independent_schema.target_namespace == NS


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_example_parses_renders_valid_xml_and_reparses_equal(
    kind: str, independent_schema: xmlschema.XMLSchema10
) -> None:
    datatype = parse(VALID[kind])
    assert isinstance(datatype, DATATYPE_KINDS[kind])

    rendered = render_datatype(datatype)
    assert rendered.tag == f"{{{NS}}}{kind}"
    assert rendered.nsmap == {None: NS}
    assert datatypes_schema().validate(rendered), datatypes_schema().error_log
    independent_schema.validate(etree.tostring(rendered).decode())
    assert parse_datatype(rendered) == datatype
    # Rendering is stable: the re-parsed value renders to the same bytes.
    assert etree.tostring(render_datatype(parse_datatype(rendered))) == etree.tostring(rendered)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_every_example_is_valid_against_the_xsd_as_written(kind: str) -> None:
    assert datatypes_schema().validate(etree.fromstring(VALID[kind].encode()))


@pytest.mark.parametrize(
    ("xml", "path", "rule"), INVALID, ids=[f"{path}:{rule}" for _, path, rule in INVALID]
)
def test_constraint_violation_names_field_and_rule(xml: str, path: str, rule: str) -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        parse(xml)
    assert (path, rule) in caught.value.errors
    assert path in str(caught.value)


@pytest.mark.parametrize(("xml", "path", "rule"), INVALID, ids=[path for _, path, _ in INVALID])
def test_the_xsd_alone_also_rejects_each_violation(xml: str, path: str, rule: str) -> None:
    assert not datatypes_schema().validate(etree.fromstring(xml.encode()))


@pytest.mark.parametrize("kind", sorted(VALID))
def test_dict_form_is_json_safe_and_round_trips(kind: str) -> None:
    datatype = parse(VALID[kind])
    stored = json.loads(json.dumps(datatype_to_dict(datatype)))
    assert stored["kind"] == kind
    assert datatype_from_dict(kind, stored) == datatype
    assert datatype_from_dict(kind, {k: v for k, v in stored.items() if k != "kind"}) == datatype


@pytest.mark.parametrize("kind", sorted(DATATYPE_KINDS))
def test_model_fields_follow_the_xsd_element_order(
    kind: str, independent_schema: xmlschema.XMLSchema10
) -> None:
    def compare(model: Any, xsd_element: Any, path: str) -> None:
        xsd_children = list(dict.fromkeys(e.local_name for e in xsd_element.type.content.iter_elements()))
        fields = model.model_fields
        assert [wire_name(model, name) for name in fields] == xsd_children, path
        by_name = {e.local_name: e for e in xsd_element.type.content.iter_elements()}
        for name, info in fields.items():
            nested = _nested_model(info.annotation)
            if nested is not None:
                compare(nested, by_name[wire_name(model, name)], f"{path}/{wire_name(model, name)}")

    compare(DATATYPE_KINDS[kind], independent_schema.elements[kind], kind)


def _nested_model(annotation: Any) -> Any:
    from pydantic import BaseModel

    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        for inner in (candidate, *getattr(candidate, "__args__", ())):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


# ------------------------------------------------------------------------------------- seeds


def test_seed_002_appointment_example() -> None:
    """The appointment from Digipost's own API page (seed 002), as it sits inside `data-type`."""
    message = f"""<message xmlns="http://api.digipost.no/schema/v8">
      <recipient><digipost-address>01043100358</digipost-address></recipient>
      <primary-document>
        <uuid>316a26cd-4888-43a6-8875-3a2286b435fc</uuid>
        <subject>appointment-pdf-document</subject>
        <file-type>pdf</file-type>
        <data-type>
          <appointment xmlns="{NS}">
            <start-time>2017-10-27T10:00:00+02:00</start-time>
            <end-time>2017-10-27T11:00:00+02:00</end-time>
            <arrival-time>Oppmøte senest 15 minutter før timen</arrival-time>
            <place>Oslo City Røntgen</place>
            <address>
              <street-address>Storgata 23</street-address>
              <postal-code>0011</postal-code>
              <city>Oslo</city>
            </address>
            <sub-title>Undersøke smerter i ryggen</sub-title>
            <info>
              <title>Informasjon om Oslo City Røntgen</title>
              <text>Oslo City Røntgen er et spesialistsenter for avansert bildediagnostikk.</text>
            </info>
          </appointment>
        </data-type>
      </primary-document>
    </message>"""
    element = etree.fromstring(message.encode()).find(f".//{{{NS}}}appointment")
    assert element is not None

    appointment = parse_datatype(element)

    oslo = timezone(timedelta(hours=2))
    assert appointment == Appointment(
        start_time=datetime(2017, 10, 27, 10, tzinfo=oslo),
        end_time=datetime(2017, 10, 27, 11, tzinfo=oslo),
        arrival_time="Oppmøte senest 15 minutter før timen",
        place="Oslo City Røntgen",
        address=Address(street_address="Storgata 23", postal_code="0011", city="Oslo"),
        sub_title="Undersøke smerter i ryggen",
        info=[
            {
                "title": "Informasjon om Oslo City Røntgen",
                "text": "Oslo City Røntgen er et spesialistsenter for avansert bildediagnostikk.",
            }
        ],
    )
    assert appointment.language is Language.NB
    assert parse_datatype(render_datatype(appointment)) == appointment


# Seed 000 is the .NET client guide; its account numbers are masked ("2593143xxxx"), so a complete
# 11-digit number stands in for them and the masked form itself must be refused.
def test_seed_000_invoice() -> None:
    invoice = parse(
        doc(
            "invoice",
            "<due-date>2022-12-03T10:15:30+01:00</due-date><sum>100.21</sum>"
            "<creditor-account>25931430000</creditor-account><kid>123123123</kid>",
        )
    )
    assert invoice == Invoice(
        due_date=datetime(2022, 12, 3, 10, 15, 30, tzinfo=timezone(timedelta(hours=1))),
        sum=Decimal("100.21"),
        creditor_account="25931430000",
        kid="123123123",
    )
    assert datatype_to_dict(invoice)["sum"] == "100.21"
    with pytest.raises(DataTypeInvalid) as caught:
        datatype_from_dict("invoice", {**datatype_to_dict(invoice), "creditor_account": "2593143xxxx"})
    assert caught.value.errors == [("invoice/creditor_account", "pattern=[0-9]{11}")]


def test_seed_000_inkasso() -> None:
    inkasso = parse(
        doc(
            "inkasso",
            "<due-date>2022-12-03T10:15:30+01:00</due-date><sum>100.21</sum>"
            "<account>25931430000</account><kid>123123123</kid>",
        )
    )
    assert inkasso == Inkasso(
        due_date=datetime(2022, 12, 3, 9, 15, 30, tzinfo=UTC),
        sum=Decimal("100.21"),
        account="25931430000",
        kid="123123123",
    )
    assert Inkasso(due_date=datetime(2022, 12, 3, 10, 15, 30, tzinfo=UTC)).sum is None


def test_seed_000_appointment_end_defaults_to_half_an_hour_after_start() -> None:
    explicit = parse(
        doc(
            "appointment",
            "<start-time>2017-11-24T13:00:00+01:00</start-time><end-time>2017-11-24T13:30:00+01:00</end-time>"
            "<address><street-address>Storgata 1</street-address><postal-code>0001</postal-code>"
            "<city>Oslo</city></address>",
        )
    )
    implicit = parse(
        doc(
            "appointment",
            "<start-time>2017-11-24T13:00:00+01:00</start-time>"
            "<address><street-address>Storgata 1</street-address><postal-code>0001</postal-code>"
            "<city>Oslo</city></address>",
        )
    )
    assert implicit == explicit
    assert isinstance(implicit, Appointment)
    assert implicit.end_time - implicit.start_time == timedelta(minutes=30)
    assert b"<end-time>2017-11-24T13:30:00+01:00</end-time>" in etree.tostring(render_datatype(implicit))


def test_seed_000_external_link() -> None:
    link = parse(
        doc(
            "externalLink",
            "<url>https://example.org/loan-offer/uniqueCustomerId/</url>"
            "<deadline>2018-10-23T10:00:00+02:00</deadline>"
            "<description>Please read the terms, and use the button above to accept them. "
            "The offer expires at 23/10-2018 10:00.</description>"
            "<button-text>Accept offer</button-text>",
        )
    )
    assert link == ExternalLink(
        url="https://example.org/loan-offer/uniqueCustomerId/",
        deadline=datetime(2018, 10, 23, 8, tzinfo=UTC),
        description="Please read the terms, and use the button above to accept them. "
        "The offer expires at 23/10-2018 10:00.",
        button_text="Accept offer",
    )


def test_seed_000_share_documents_request_and_stop() -> None:
    request = parse(
        doc(
            "share-documents-request",
            "<max-share-duration-seconds>432000</max-share-duration-seconds>"
            "<purpose>The purpose for my use of the document</purpose>",
        )
    )
    assert request == ShareDocumentsRequest(
        max_share_duration_seconds=60 * 60 * 24 * 5, purpose="The purpose for my use of the document"
    )
    stopped = parse(doc("share-documents-request-sharing-stopped"))
    assert stopped == ShareDocumentsRequestSharingStopped()
    assert "share-documents-request-sharing-stopped" in COMPLEMENTED_BY["share-documents-request"]


# ------------------------------------------------------------------------------------- §10


def test_complemented_by_matches_section_10() -> None:
    assert {kind: set(follow) for kind, follow in COMPLEMENTED_BY.items() if follow} == {
        "invoice": {"invoice-payment"},
        "inkasso": {"invoice-payment"},
        "invoice-payment": {"invoice-payment"},
        "boligdetaljer": {"boligdetaljer"},
        "pickup-notice": {"pickup-notice", "pickup-notice-status"},
        "share-documents-request": {"share-documents-request-sharing-stopped"},
    }
    assert set(COMPLEMENTED_BY) == set(DATATYPE_KINDS)
    assert all(isinstance(follow, frozenset) for follow in COMPLEMENTED_BY.values())
    assert all(follow <= set(DATATYPE_KINDS) for follow in COMPLEMENTED_BY.values())


# ------------------------------------------------------------------------------------- details


def test_any_namespace_prefix_is_accepted() -> None:
    prefixed = (
        f'<dt:externalLink xmlns:dt="{NS}"><dt:url>https://example.no</dt:url>'
        "<dt:button-text>Gå</dt:button-text></dt:externalLink>"
    )
    assert parse(prefixed) == ExternalLink(url="https://example.no", button_text="Gå")


def test_schema_errors_inside_a_larger_prefixed_document_name_the_field() -> None:
    message = (
        '<v8:data-type xmlns:v8="http://api.digipost.no/schema/v8">'
        f'<dt:invoice xmlns:dt="{NS}"><dt:due-date>2022-12-03T10:15:30+01:00</dt:due-date>'
        f"<dt:link><dt:url>https://example.no</dt:url></dt:link>"
        "<dt:sum>1</dt:sum><dt:creditor-account>25931430000</dt:creditor-account></dt:invoice></v8:data-type>"
    )
    element = etree.fromstring(message.encode())[0]
    with pytest.raises(DataTypeInvalid) as caught:
        parse_datatype(element)
    assert caught.value.errors == [("invoice/link", "unexpected")]


def test_attributes_are_refused_by_the_schema() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        parse(f'<opening-receipt xmlns="{NS}" group="g"><group>g</group></opening-receipt>')
    assert caught.value.errors == [("opening-receipt/@group", "unexpected")]


def test_empty_required_date_time_is_not_replaced_by_the_default() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        parse(doc("appointment", "<start-time>2024-01-01T10:00:00Z</start-time><end-time/>"))
    assert caught.value.errors == [("appointment/end-time", "type=dateTime")]


def test_element_outside_the_datatypes_namespace_is_refused() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        parse('<invoice xmlns="http://api.digipost.no/schema/v8"/>')
    assert caught.value.errors == [("invoice", f"namespace={NS}")]
    with pytest.raises(DataTypeInvalid) as caught:
        parse(doc("invoice", '<due-date xmlns="urn:other">2022-12-03</due-date>'))
    assert ("invoice/due-date", "unexpected") in caught.value.errors


def test_unknown_or_removed_datatype_is_refused() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        parse(doc("category", "<name>x</name>"))
    assert caught.value.errors == [("category", "unknown-datatype")]


def test_repeated_single_element_is_refused() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        parse(doc("payslip", "<net-amount>1</net-amount><net-amount>2</net-amount>"))
    assert ("payslip/net-amount", "maxOccurs=1") in caught.value.errors


def test_several_violations_are_reported_together() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        parse(doc("invoice", "<due-date>soon</due-date><sum>1</sum><creditor-account>1</creditor-account>"))
    assert set(caught.value.errors) == {
        ("invoice/due-date", "type=dateTime"),
        ("invoice/creditor-account", "pattern=[0-9]{11}"),
    }
    assert isinstance(caught.value, ValueError)


def test_doctype_is_refused_by_the_hardened_parser() -> None:
    evil = (
        f'<!DOCTYPE x [<!ENTITY e "boom">]><opening-receipt xmlns="{NS}"><group>&e;</group></opening-receipt>'
    )
    with pytest.raises(XmlRejected):
        parse(evil)


@pytest.mark.parametrize(
    ("lexical", "expected"),
    [
        ("2024-03-01T09:15:00+01:00", datetime(2024, 3, 1, 8, 15, tzinfo=UTC)),
        ("2024-03-01T09:15:00Z", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),
        ("2024-03-01T09:15:00", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),
        ("2024-03-01T09:15", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),
        ("2024-03-01T09:15:00.123456789-02:00", datetime(2024, 3, 1, 11, 15, 0, 123456, tzinfo=UTC)),
    ],
)
def test_zoned_date_times_accept_offset_or_none(lexical: str, expected: datetime) -> None:
    signed = parse(
        doc(
            "signedDocument",
            f"<document-issuer>B</document-issuer><document-subject>S</document-subject>"
            f"<signing-time>{lexical}</signing-time>",
        )
    )
    assert signed.signing_time == expected  # type: ignore[union-attr]
    assert signed.signing_time.utcoffset() is not None  # type: ignore[union-attr]


def test_naive_datetime_from_python_is_taken_as_utc() -> None:
    appointment = Appointment(start_time=datetime(2024, 1, 1, 12))
    assert appointment.start_time.tzinfo is UTC
    assert appointment.end_time == datetime(2024, 1, 1, 12, 30, tzinfo=UTC)


def test_local_date_and_money_types() -> None:
    payslip = parse(VALID["payslip"])
    assert payslip.payment_date == date(2024, 1, 20)  # type: ignore[union-attr]
    assert payslip.net_amount == Decimal("31415.92")  # type: ignore[union-attr]
    assert datatype_to_dict(payslip) == {
        "kind": "payslip",
        "payment_date": "2024-01-20",
        "net_amount": "31415.92",
    }


def test_money_renders_without_exponent() -> None:
    invoice = Invoice(
        due_date=datetime(2024, 1, 1, tzinfo=UTC), sum=Decimal("1E+3"), creditor_account="25931430000"
    )
    assert b"<sum>1000</sum>" in etree.tostring(render_datatype(invoice))


def test_empty_element_with_schema_default_takes_the_default() -> None:
    link = parse(doc("appointment", "<start-time>2024-01-01T10:00:00Z</start-time><language/>"))
    assert link.language is Language.NB  # type: ignore[union-attr]


def test_proof_period_needs_a_start_or_an_end() -> None:
    holder = "<proof-holder><firstname>K</firstname><surname>N</surname></proof-holder><title>T</title>"
    with pytest.raises(DataTypeInvalid) as caught:
        parse(doc("proof", f"<valid-period><period/></valid-period>{holder}"))
    assert ("proof/valid-period/period", "requiredOneOf=from|to") in caught.value.errors
    only_end = parse(
        doc("proof", f"<valid-period><period><to>2030-01-01T00:00:00</to></period></valid-period>{holder}")
    )
    assert isinstance(only_end, Proof)
    assert only_end.valid_period.period is not None
    assert only_end.valid_period.period.to_time == datetime(2030, 1, 1)


def test_dict_validation_errors_use_the_callers_keys() -> None:
    with pytest.raises(DataTypeInvalid) as caught:
        datatype_from_dict("appointment", {"start_time": "2024-01-01T10:00:00Z", "info": [{}, {}, {}]})
    assert caught.value.errors == [("appointment/info", "maxOccurs=2")]
    with pytest.raises(DataTypeInvalid) as caught:
        datatype_from_dict("nope", {})
    assert caught.value.errors == [("nope", "unknown-datatype")]
    with pytest.raises(DataTypeInvalid):
        datatype_from_dict("invoice", {"kind": "inkasso"})


def test_models_are_immutable() -> None:
    link = ExternalLink(url="https://example.no")
    with pytest.raises(ValueError, match="frozen"):
        link.url = "https://evil.example"  # type: ignore[misc]
