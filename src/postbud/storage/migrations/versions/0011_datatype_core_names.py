"""the domain's datatypes stored under core field names instead of Digipost's wire names; a sender's
Digipost id, certificate and Altinn scopes only in ``sender_credentials``

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 00:50:00

Datatypes. Until now the datatype models also accepted Digipost's element names (``start-time``,
``creditor-account``) as aliases, so JSON stored by any path that did not go through
``datatype_to_dict`` (which always wrote the core names) may hold them; the domain now reads core
names only. The upgrade renames such keys in ``documents.datatype`` and in the ``datatype`` of
``data_added`` / ``payment_registered`` events, with a frozen copy of the names as they were at this
revision (a migration must not follow later code). The downgrade leaves them: revision 0010's code
reads core names as well.

Senders. Revision 0010 copied ``senders.digipost_id``, ``certificate_pem`` and ``altinn_scopes`` into
``sender_credentials`` and kept the columns as a read copy. The copy goes: a sender's credentials are
read from ``sender_credentials`` only. A row that still has an id or scopes but no credential of that
dialect at all (none was ever recorded for it) gets one first, as 0010 did. The downgrade restores the
columns from the live credentials.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from postbud.storage.types import JsonDocument, UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_BATCH = 500

_senders = sa.table(
    "senders",
    sa.column("id", sa.Uuid()),
    sa.column("organisation_number", sa.String()),
    sa.column("digipost_id", sa.BigInteger()),
    sa.column("certificate_pem", sa.Text()),
    sa.column("altinn_scopes", JsonDocument),
    sa.column("created_at", UtcDateTime()),
)
_credentials = sa.table(
    "sender_credentials",
    sa.column("id", sa.Uuid()),
    sa.column("sender_id", sa.Uuid()),
    sa.column("dialect", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("identifier", sa.String()),
    sa.column("secret_hash", sa.String()),
    sa.column("data", JsonDocument),
    sa.column("created_at", UtcDateTime()),
    sa.column("revoked_at", UtcDateTime()),
)
_documents = sa.table("documents", sa.column("id", sa.Uuid()), sa.column("datatype", JsonDocument))
_events = sa.table(
    "events",
    sa.column("id", sa.Uuid()),
    sa.column("type", sa.String()),
    sa.column("data", JsonDocument),
)
_EVENTS_WITH_DATATYPE = ("data_added", "payment_registered")

# Frozen at this revision: for each datatype model, Digipost's element name → (core name, the model
# of its value when that is a datatype part). Fields whose name is the same and whose value is plain
# are left out.
_MODELS: dict[str, dict[str, tuple[str, str | None]]] = {
    "Address": {
        "street-address": ("street_address", None),
        "street-address-2": ("street_address_2", None),
        "postal-code": ("postal_code", None),
    },
    "Appointment": {
        "start-time": ("start_time", None),
        "end-time": ("end_time", None),
        "arrival-time": ("arrival_time", None),
        "address": ("address", "Address"),
        "sub-title": ("sub_title", None),
        "info": ("info", "Info"),
        "link": ("link", "ExternalLink"),
    },
    "Barcode": {
        "barcode-value": ("barcode_value", None),
        "barcode-type": ("barcode_type", None),
        "barcode-text": ("barcode_text", None),
        "show-value-in-barcode": ("show_value_in_barcode", None),
    },
    "Boligdetaljer": {
        "residence": ("residence", "Residence"),
        "hjemmelshavere": ("hjemmelshavere", "Hjemmelshaver"),
        "antall-oppholdsrom": ("antall_oppholdsrom", None),
        "antall-baderom": ("antall_baderom", None),
        "omsetningshistorikk": ("omsetningshistorikk", "Omsetningshistorikk"),
        "heftelser": ("heftelser", "Heftelse"),
        "callToAction": ("call_to_action", "ExternalLink"),
    },
    "CalendarDate": {
        "min": ("minute", None),
        "time-zone": ("time_zone", None),
    },
    "Event": {
        "sub-title": ("sub_title", None),
        "start-time": ("time_intervals", "TimeInterval"),
        "timeLabel": ("time_label", None),
        "placeLabel": ("place_label", None),
        "address": ("address", "Address"),
        "info": ("info", "Info"),
        "barcodeLabel": ("barcode_label", None),
        "barcode": ("barcode", "Barcode"),
        "links": ("links", "Link"),
    },
    "ExternalLink": {
        "button-text": ("button_text", None),
    },
    "ForeignCurrencyPayment": {
        "currency-code": ("currency_code", None),
        "exchange-rate": ("exchange_rate", None),
    },
    "Heftelse": {
        "type-pant": ("type_pant", None),
    },
    "Inkasso": {
        "link": ("link", "ExternalLink"),
        "due-date": ("due_date", None),
    },
    "Invoice": {
        "link": ("link", "ExternalLink"),
        "due-date": ("due_date", None),
        "creditor-account": ("creditor_account", None),
    },
    "InvoicePayment": {
        "payment-id": ("payment_id", None),
        "payment-status": ("payment_status", None),
        "payment-time": ("payment_time", None),
        "debtor-account": ("debtor_account", None),
        "debtor-account-name": ("debtor_account_name", None),
        "payment-channel": ("payment_channel", None),
        "payment-bank": ("payment_bank", "PaymentBank"),
    },
    "Payslip": {
        "payment-date": ("payment_date", None),
        "net-amount": ("net_amount", None),
    },
    "Period": {
        "from": ("from_time", None),
        "to": ("to_time", None),
    },
    "PickupCost": {
        "value-to-be-payed": ("value_to_be_payed", None),
        "package-value": ("package_value", None),
        "customs-fee-outlayed": ("customs_fee_outlayed", None),
        "vas-text": ("vas_text", None),
        "customs-fee": ("customs_fee", None),
        "customs-fee-outlay-cost": ("customs_fee_outlay_cost", None),
        "cod-amount": ("cod_amount", None),
        "cod-fee": ("cod_fee", None),
    },
    "PickupNotice": {
        "parcel-id": ("parcel_id", None),
        "parcel-uuid": ("parcel_uuid", None),
        "barcode": ("barcode", "Barcode"),
        "product-name": ("product_name", None),
        "arrival-date-time": ("arrival_date_time", None),
        "return-date-time": ("return_date_time", None),
        "recipient": ("recipient", "PickupRecipient"),
        "sender": ("sender", "PickupSender"),
        "pickup-place": ("pickup_place", "PickupPlace"),
        "package": ("package", "PickupPackage"),
        "cost": ("cost", "PickupCost"),
        "extra-information": ("extra_information", None),
        "link": ("link", "ExternalLink"),
    },
    "PickupNoticeStatus": {
        "occurrence-datetime": ("occurrence_datetime", None),
    },
    "PickupPlace": {
        "shelf-location": ("shelf_location", None),
        "address": ("address", "Address"),
    },
    "PickupRecipient": {
        "digipost-address": ("digipost_address", None),
        "address": ("address", "Address"),
    },
    "PickupSender": {
        "address": ("address", "Address"),
    },
    "Proof": {
        "authorizer-name": ("authorizer_name", None),
        "background-color": ("background_color", None),
        "issued-time": ("issued_time", None),
        "valid-period": ("valid_period", "ValidPeriod"),
        "proof-holder": ("proof_holder", "ProofHolder"),
        "proof-id-name": ("proof_id_name", None),
        "proof-id-value": ("proof_id_value", None),
        "attribute": ("attributes", "Info"),
        "info": ("info", "Info"),
    },
    "ProofHolder": {
        "social-security-number": ("social_security_number", None),
        "address": ("address", "Address"),
    },
    "Receipt": {
        "receiptId": ("receipt_id", None),
        "receiptNumber": ("receipt_number", None),
        "purchaseTime": ("purchase_time", None),
        "totalPrice": ("total_price", None),
        "totalVat": ("total_vat", None),
        "register": ("cash_register", None),
        "merchant-chain": ("merchant_chain", None),
        "merchant-name": ("merchant_name", None),
        "merchant-phone-number": ("merchant_phone_number", None),
        "merchant-address": ("merchant_address", "Address"),
        "barcode": ("barcode", "Barcode"),
        "payments": ("payments", "ReceiptPayment"),
        "items": ("items", "ReceiptLine"),
        "taxiDetails": ("taxi_details", "TaxiDetails"),
        "customer": ("customer", "ReceiptCustomer"),
        "delivery": ("delivery", "ReceiptDelivery"),
        "order-number": ("order_number", None),
        "membership-number": ("membership_number", None),
    },
    "ReceiptCustomer": {
        "address": ("address", "Address"),
        "phoneNumber": ("phone_number", None),
    },
    "ReceiptDelivery": {
        "address": ("address", "Address"),
    },
    "ReceiptLine": {
        "item-name": ("item_name", None),
        "item-description": ("item_description", None),
        "item-code": ("item_code", None),
        "item-price": ("item_price", None),
        "item-vat": ("item_vat", None),
        "total-price": ("total_price", None),
        "total-vat": ("total_vat", None),
        "serialNumber": ("serial_number", None),
        "eanCode": ("ean_code", None),
    },
    "ReceiptPayment": {
        "type": ("payment_type", None),
        "card-number": ("card_number", None),
        "cardName": ("card_name", None),
        "currency-code": ("currency_code", None),
        "transaction-id": ("transaction_id", None),
        "foreign-currency-payment": ("foreign_currency_payment", "ForeignCurrencyPayment"),
    },
    "Residence": {
        "address": ("address", "ResidenceAddress"),
        "matrikkel": ("matrikkel", "Matrikkel"),
        "external-id": ("external_id", None),
    },
    "ResidenceAddress": {
        "unit-number": ("unit_number", None),
        "house-number": ("house_number", None),
        "street-name": ("street_name", None),
        "postal-code": ("postal_code", None),
    },
    "ShareDocumentsRequest": {
        "max-share-duration-seconds": ("max_share_duration_seconds", None),
        "allowed-origin-organisation-numbers": ("allowed_origin_organisation_numbers", None),
    },
    "ShareDocumentsRequestDocumentsShared": {
        "document-ids": ("document_ids", None),
    },
    "SignedDocument": {
        "document-issuer": ("document_issuer", None),
        "document-subject": ("document_subject", None),
        "signing-time": ("signing_time", None),
    },
    "TaxiDetails": {
        "carPlateNumber": ("car_plate_number", None),
        "orgNumberLicenseHolder": ("org_number_license_holder", None),
        "startTime": ("start_time", None),
        "stopTime": ("stop_time", None),
        "totalMeterPrice": ("total_meter_price", None),
        "totalDistanceBeforeBoardingInMeters": ("total_distance_before_boarding_in_meters", None),
        "totalDistanceInMeters": ("total_distance_in_meters", None),
        "totalDistanceWithPassengerInMeters": ("total_distance_with_passenger_in_meters", None),
        "totalTimeBeforeBoardingInSeconds": ("total_time_before_boarding_in_seconds", None),
        "totalTimeInSeconds": ("total_time_in_seconds", None),
        "totalTimeWithPassengerInSeconds": ("total_time_with_passenger_in_seconds", None),
        "vat": ("vat", "VatDetails"),
    },
    "TimeInterval": {
        "start-time": ("start_time", None),
        "end-time": ("end_time", None),
    },
    "ValidPeriod": {
        "period": ("period", "Period"),
        "yearly-repeating-period": ("yearly_repeating_period", "YearlyRepeatingPeriod"),
    },
    "VatDetails": {
        "levels": ("levels", "VatLevel"),
    },
    "VatLevel": {
        "grossAmount": ("gross_amount", None),
        "netAmount": ("net_amount", None),
        "vatPercent": ("vat_percent", None),
    },
    "VerifiableCredentialNotice": {
        "credential-id": ("credential_id", None),
        "valid-from": ("valid_from", None),
        "valid-until": ("valid_until", None),
    },
    "YearlyRepeatingPeriod": {
        "start-year": ("start_year", None),
        "end-year": ("end_year", None),
        "from": ("from_date", "CalendarDate"),
        "to": ("to_date", "CalendarDate"),
    },
}
_KINDS: dict[str, str] = {
    "appointment": "Appointment",
    "boligdetaljer": "Boligdetaljer",
    "event": "Event",
    "externalLink": "ExternalLink",
    "inkasso": "Inkasso",
    "invoice": "Invoice",
    "invoice-payment": "InvoicePayment",
    "payslip": "Payslip",
    "pickup-notice": "PickupNotice",
    "pickup-notice-status": "PickupNoticeStatus",
    "proof": "Proof",
    "receipt": "Receipt",
    "residence": "Residence",
    "share-documents-request": "ShareDocumentsRequest",
    "share-documents-request-documents-shared": "ShareDocumentsRequestDocumentsShared",
    "signedDocument": "SignedDocument",
    "verifiable-credential-notice": "VerifiableCredentialNotice",
}


def _renamed(value: Any, model: str | None) -> Any:
    if isinstance(value, list):
        return [_renamed(item, model) for item in value]
    if not isinstance(value, dict) or model is None:
        return value
    names = _MODELS.get(model, {})
    out: dict[str, Any] = {}
    for key, item in value.items():
        core, child = names.get(key, (key, None))
        if core in out and core != key:
            continue  # both spellings: the core name's value wins
        out[core] = _renamed(item, child)
    return out


def _datatype_in_core_names(datatype: Any) -> Any:
    if not isinstance(datatype, dict) or datatype.get("kind") not in _KINDS:
        return datatype
    return _renamed(datatype, _KINDS[datatype["kind"]])


def _rows(query: sa.Select[Any]) -> Iterator[Sequence[sa.Row[Any]]]:
    """``query`` (ordered by its key, which is its first column) in batches, without a server cursor."""
    bind = op.get_bind()
    key = query.selected_columns[0]
    last: Any = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = bind.execute(page.order_by(key).limit(_BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _rename_stored_datatypes() -> None:
    bind = op.get_bind()
    documents = sa.select(_documents.c.id, _documents.c.datatype).where(_documents.c.datatype.is_not(None))
    for rows in _rows(documents):
        for row in rows:
            renamed = _datatype_in_core_names(row.datatype)
            if renamed != row.datatype:
                bind.execute(_documents.update().where(_documents.c.id == row.id).values(datatype=renamed))
    events = sa.select(_events.c.id, _events.c.data).where(_events.c.type.in_(_EVENTS_WITH_DATATYPE))
    for rows in _rows(events):
        for row in rows:
            data = row.data or {}
            renamed = _datatype_in_core_names(data.get("datatype"))
            if renamed != data.get("datatype"):
                bind.execute(
                    _events.update().where(_events.c.id == row.id).values(data={**data, "datatype": renamed})
                )


def _credentials_still_only_on_rows() -> list[dict[str, object]]:
    bind = op.get_bind()
    held = {
        (r.sender_id, r.dialect)
        for r in bind.execute(sa.select(_credentials.c.sender_id, _credentials.c.dialect))
    }
    rows: list[dict[str, object]] = []
    for sender in bind.execute(sa.select(_senders)).mappings():
        common = {"sender_id": sender["id"], "secret_hash": None, "created_at": sender["created_at"]}
        if sender["digipost_id"] is not None and (sender["id"], "digipost") not in held:
            rows.append(
                common
                | {
                    "id": uuid.uuid4(),
                    "dialect": "digipost",
                    "kind": "certificate",
                    "identifier": str(sender["digipost_id"]),
                    "data": {"certificate_pem": sender["certificate_pem"]},
                }
            )
        if sender["altinn_scopes"] and (sender["id"], "altinn") not in held:
            rows.append(
                common
                | {
                    "id": uuid.uuid4(),
                    "dialect": "altinn",
                    "kind": "organisation",
                    "identifier": sender["organisation_number"],
                    "data": {"scopes": list(sender["altinn_scopes"])},
                }
            )
    return rows


def _refuse_a_rebuild_that_would_cascade() -> None:
    """SQLite cannot drop a UNIQUE column in place, so the batch below rebuilds ``senders``. With the
    foreign-key actions on, dropping the old table would delete every sender's credentials and API
    keys (ON DELETE CASCADE); ``postbud.storage.migrate`` turns them off first. Anything else that
    runs this on a SQLite database with senders must do the same."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    keys_on = bind.exec_driver_sql("PRAGMA foreign_keys").scalar()
    if keys_on and bind.execute(sa.select(sa.func.count()).select_from(_senders)).scalar():
        raise RuntimeError("run migration 0011 through postbud.storage.migrate (foreign keys off)")


def upgrade() -> None:
    _refuse_a_rebuild_that_would_cascade()
    _rename_stored_datatypes()
    missing = _credentials_still_only_on_rows()
    if missing:
        op.bulk_insert(_credentials, missing)
    # The id is unique by a constraint (as 0001 made it) or, after this revision's downgrade on
    # SQLite, by an index of the same name (PostgreSQL lists a constraint's index too: not asked).
    bind = op.get_bind()
    indexes = sa.inspect(bind).get_indexes("senders") if bind.dialect.name == "sqlite" else []
    as_index = "uq_senders_digipost_id" in {i["name"] for i in indexes}
    if as_index:
        op.drop_index("uq_senders_digipost_id", table_name="senders")
    with op.batch_alter_table("senders") as batch:
        if not as_index:
            batch.drop_constraint("uq_senders_digipost_id", type_="unique")
        batch.drop_column("altinn_scopes")
        batch.drop_column("certificate_pem")
        batch.drop_column("digipost_id")


def _live(dialect: str, kind: str) -> sa.Select[Any]:
    c = _credentials.c
    return sa.select(c.sender_id, c.identifier, c.data).where(
        c.dialect == dialect, c.kind == kind, c.revoked_at.is_(None)
    )


def downgrade() -> None:
    op.add_column("senders", sa.Column("digipost_id", sa.BigInteger(), nullable=True))
    op.add_column("senders", sa.Column("certificate_pem", sa.Text(), nullable=True))
    op.add_column(
        "senders",
        sa.Column("altinn_scopes", JsonDocument, nullable=False, server_default=sa.text("'[]'")),
    )
    bind = op.get_bind()
    for row in bind.execute(_live("digipost", "certificate")):
        values = {
            "digipost_id": int(row.identifier),
            "certificate_pem": (row.data or {}).get("certificate_pem"),
        }
        bind.execute(_senders.update().where(_senders.c.id == row.sender_id).values(**values))
    for row in bind.execute(_live("altinn", "organisation")):
        scopes = list((row.data or {}).get("scopes", []))
        bind.execute(_senders.update().where(_senders.c.id == row.sender_id).values(altinn_scopes=scopes))
    if bind.dialect.name == "sqlite":  # a unique index: the same rule without rebuilding the table
        op.create_index("uq_senders_digipost_id", "senders", ["digipost_id"], unique=True)
    else:
        op.create_unique_constraint("uq_senders_digipost_id", "senders", ["digipost_id"])
