"""The relational schema, as SQLAlchemy Core tables. Alembic migrations are written from it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    func,
)

from postbud.storage.types import JsonDocument, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

senders = Table(
    "senders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("organisation_number", String(20), nullable=False, unique=True),
    # A sender's Digipost id and certificate and its Altinn scopes are rows of sender_credentials
    # only (migration 0011 dropped the read copy these columns kept): one place, one writer.
    Column("may_print", Boolean, nullable=False, default=True),
    Column("may_direct_print", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Channels (migration 0009): a sender's own region where it differs from the deployment's.
    Column("time_zone", String(64)),
    Column("country", String(2)),
    Column("may_protected_print", Boolean, nullable=False, server_default=false()),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("label", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

recipients = Table(
    "recipients",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("party_id", String(120), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("digital_mailbox", Boolean, nullable=False, default=False),
    Column("mailbox_address", String(120), unique=True),
    Column("reserved", Boolean, nullable=False, default=False),
    Column("business_inbox", Boolean, nullable=False, default=False),
    Column("email", String(254)),
    Column("mobile", String(20)),
    Column("postal_address", JsonDocument),
    Column("einvoice", Boolean, nullable=False, default=False),
    Column("ebank", Boolean, nullable=False, default=False),
    Column("kivra", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id"), nullable=False),
    Column("dialect", String(20), nullable=False),
    Column("external_id", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("name", String(200)),
    Column("data", JsonDocument, nullable=False, default=dict),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("sender_id", "dialect", "external_id"),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id"), nullable=False),
    Column("dialect", String(20), nullable=False),
    Column("external_id", String(100)),
    Column("recipient_id", Uuid, ForeignKey("recipients.id")),
    Column("recipient_party", String(120)),
    Column("recipient_name", String(200)),
    Column("subject", String(255)),
    Column("channel", String(20)),
    Column("status", String(20), nullable=False),
    Column("batch_id", Uuid, ForeignKey("batches.id")),
    Column("publish_at", UtcDateTime),
    Column("request", JsonDocument, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Many letters, drafts (SEND): the sender's own reference (Altinn's sendersReference, up to
    # 4,096 characters) is found by its SHA-256, as a btree entry of the text itself could pass
    # PostgreSQL's ~2.7 KB limit; the lookup then compares the full text.
    Column("senders_reference", Text),
    Column("senders_reference_sha256", String(64)),
    UniqueConstraint("sender_id", "dialect", "external_id"),
    Index("ix_shipments_sender_created", "sender_id", "created_at"),
    Index("ix_shipments_batch", "batch_id"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("shipment_id", Uuid, ForeignKey("shipments.id", ondelete="CASCADE"), nullable=False),
    Column("sender_id", Uuid, nullable=False),
    Column("position", Integer, nullable=False),
    Column("external_id", String(100)),
    Column("title", String(255)),
    Column("file_type", String(30), nullable=False),
    Column("mime", String(100), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("pages", Integer),
    Column("authentication", String(20), nullable=False),
    Column("sensitivity", String(20), nullable=False),
    Column("datatype", JsonDocument),
    Column("opening_receipt", Boolean, nullable=False, default=False),
    # Many letters, attachments, blob lifetime (SEND). ``external_id`` is unique within its
    # ``id_scope``: "sender" (across all the sender's letters, as Digipost's document ids are) or
    # "letter:<shipment id>" (only within the letter, so one attachment can be in many letters).
    Column("id_scope", String(60), nullable=False, server_default="sender"),
    Column("attachment_id", Uuid, ForeignKey("attachments.id")),
    # Set when the letter no longer needs the blob (purged): the row stops keeping it alive.
    Column("released_at", UtcDateTime),
    UniqueConstraint("shipment_id", "position"),
    UniqueConstraint("sender_id", "external_id", "id_scope"),
    Index("ix_documents_sha256", "sha256"),
)

events = Table(
    "events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("shipment_id", Uuid, ForeignKey("shipments.id", ondelete="CASCADE"), nullable=False),
    Column("sender_id", Uuid, nullable=False),
    Column("type", String(40), nullable=False),
    Column("channel", String(20)),
    Column("at", UtcDateTime, nullable=False),
    Column("data", JsonDocument, nullable=False, default=dict),
    Column("dedup_key", String(100)),
    UniqueConstraint("shipment_id", "dedup_key"),
    Index("ix_events_shipment_at", "shipment_id", "at"),
    Index("ix_events_sender_at", "sender_id", "at"),
    Index("ix_events_at", "at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(60), nullable=False),
    Column("payload", JsonDocument, nullable=False),
    Column("status", String(10), nullable=False),
    Column("run_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("max_attempts", Integer, nullable=False),
    Column("locked_by", String(100)),
    Column("locked_until", UtcDateTime),
    Column("last_error", Text),
    Column("idempotency_key", String(200), unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_jobs_status_run_at", "status", "run_at"),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("url", String(2000), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("event_types", JsonDocument, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Dialect plug-ins: the payload format and signature (standard, ekopost, cloudevents).
    Column("format", String(20), nullable=False, server_default="standard"),
    # Only letters of this resource (an Events API subscription's resource filter; migration 0019).
    Column("resource_id", String(255)),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("webhook_id", Uuid, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("sender_id", Uuid, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("next_attempt_at", UtcDateTime),
    Column("delivered_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("webhook_id", "event_id"),
    Index("ix_webhook_deliveries_sender_created", "sender_id", "created_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "delivery_id",
        Uuid,
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("at", UtcDateTime, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
)

shares = Table(
    "shares",
    metadata,
    Column("shipment_id", Uuid, ForeignKey("shipments.id", ondelete="CASCADE"), primary_key=True),
    Column("sender_id", Uuid, nullable=False),
    Column("recipient_id", Uuid, ForeignKey("recipients.id"), nullable=False, index=True),
    Column("max_share_seconds", BigInteger, nullable=False),
    Column("shared_at", UtcDateTime),
    Column("expires_at", UtcDateTime),
    Column("withdrawn_at", UtcDateTime),
    Column("stopped_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

shared_documents = Table(
    "shared_documents",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("share_id", Uuid, ForeignKey("shares.shipment_id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("source_document_id", Uuid, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("subject", String(255), nullable=False),
    Column("file_type", String(30), nullable=False),
    Column("mime", String(100), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=False),
    Column("origin_kind", String(20), nullable=False),
    Column("origin_name", String(200)),
    Column("origin_organisation_number", String(20)),
    Column("shared_at", UtcDateTime, nullable=False),
    UniqueConstraint("share_id", "position"),
    UniqueConstraint("share_id", "source_document_id"),
)

recipient_keys = Table(
    "recipient_keys",
    metadata,
    Column("recipient_id", Uuid, ForeignKey("recipients.id", ondelete="CASCADE"), primary_key=True),
    Column("key_id", String(64), nullable=False),
    Column("public_key_pem", Text, nullable=False),
    Column("private_key_pem", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# --- The recipient inbox ------------------------------------------------------------------------

# Keyset paging of one recipient's letters: the (created_at, id) cursor is a range on this index,
# so page 5000 costs what page 1 costs. It also serves every lookup by recipient alone.
Index("ix_shipments_recipient_created_id", shipments.c.recipient_id, shipments.c.created_at, shipments.c.id)

archived_letters = Table(
    "archived_letters",
    metadata,
    Column("shipment_id", Uuid, ForeignKey("shipments.id", ondelete="CASCADE"), primary_key=True),
    Column("recipient_id", Uuid, ForeignKey("recipients.id", ondelete="CASCADE"), nullable=False),
    # The letter's own created_at, copied so the archive folder pages on an index of its own.
    Column("letter_created_at", UtcDateTime, nullable=False),
    Column("archived_at", UtcDateTime, nullable=False),
    Index("ix_archived_letters_recipient_created", "recipient_id", "letter_created_at", "shipment_id"),
)

page_images = Table(
    "page_images",
    metadata,
    Column("document_sha256", String(64), primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("width", Integer, primary_key=True),
    Column("image_sha256", String(64), nullable=False),
    Column("page_count", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# --- The sandbox: its clock and its injected faults, shared by every process --------------------

# One row (id 1). ``revision`` grows with every change to the clock or the faults, so a process
# that polls these settings adopts a change once and never goes back to an older reading.
sandbox_state = Table(
    "sandbox_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clock_offset_us", BigInteger, nullable=False),
    Column("revision", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

sandbox_faults = Table(
    "sandbox_faults",
    metadata,
    # "channel" (target: a channel's name) or "webhook" (target: the receiving URL).
    Column("kind", String(20), primary_key=True),
    Column("target", String(2000), primary_key=True),
    Column("probability_ppm", Integer, nullable=False),
    Column("error", String(500), nullable=False),
    # Webhook faults: the status code to answer with; none means the target times out.
    Column("status_code", Integer),
    Column("updated_at", UtcDateTime, nullable=False),
)

# The operator console: all letters newest first (the unfiltered letter list, keyset-paged like
# the inbox), a letter's webhook deliveries (by their events), and the newest deliveries.
Index("ix_shipments_created_id", shipments.c.created_at, shipments.c.id)
Index("ix_webhook_deliveries_event", webhook_deliveries.c.event_id)
Index("ix_webhook_deliveries_created_id", webhook_deliveries.c.created_at, webhook_deliveries.c.id)

# --- Dialect plug-ins: per-dialect credentials of senders, and the resource registry (Altinn) ----

# One row per credential a sender has in one dialect (a Digipost certificate and id, an Ekopost API
# key or Basic login, an Altinn organisation). ``identifier`` is what the dialect finds it by;
# secrets are stored hashed. A revoked credential stays for the record and frees its identifier.
sender_credentials = Table(
    "sender_credentials",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("dialect", String(20), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("identifier", String(200), nullable=False),
    Column("secret_hash", String(200)),
    Column("data", JsonDocument, nullable=False, default=dict),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)
Index(
    "ix_sender_credentials_live",
    sender_credentials.c.dialect,
    sender_credentials.c.kind,
    sender_credentials.c.identifier,
    unique=True,
    sqlite_where=sender_credentials.c.revoked_at.is_(None),
    postgresql_where=sender_credentials.c.revoked_at.is_(None),
)

resources = Table(
    "resources",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("owner_sender_id", Uuid, ForeignKey("senders.id"), nullable=False, index=True),
    Column("titles", JsonDocument, nullable=False, default=dict),
    Column("confidential", Boolean, nullable=False, default=False),
    Column("min_auth_level", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# --- Many letters, drafts and stand-alone attachments (SEND) -------------------------------------

# A sender's letters by their own reference (the digest; the full text is compared after it).
# Partial, so letters without one (every Digipost letter) cost the index nothing.
Index(
    "ix_shipments_senders_reference",
    shipments.c.sender_id,
    shipments.c.senders_reference_sha256,
    sqlite_where=shipments.c.senders_reference_sha256.is_not(None),
    postgresql_where=shipments.c.senders_reference_sha256.is_not(None),
)
# The letters that name a stand-alone attachment (may it be purged? which letters fail with it?).
Index(
    "ix_documents_attachment",
    documents.c.attachment_id,
    sqlite_where=documents.c.attachment_id.is_not(None),
    postgresql_where=documents.c.attachment_id.is_not(None),
)

# Blob lifetime: whether a blob is still referenced, looked up by its hash in each table that
# refers to blobs (documents: ix_documents_sha256; attachments: ix_attachments_sha256).
Index("ix_shared_documents_sha256", shared_documents.c.sha256)
Index("ix_page_images_image_sha256", page_images.c.image_sha256)

# One request that made many letters (Altinn initialize: up to 500 recipients): its letters in
# order, and the sender's idempotency key, which a second request may not reuse.
send_requests = Table(
    "send_requests",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id"), nullable=False),
    Column("dialect", String(20), nullable=False),
    Column("idempotency_key", String(200)),
    Column("shipment_ids", JsonDocument, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("sender_id", "dialect", "idempotency_key"),
)

# An attachment uploaded before any letter names it, reused by many letters (Altinn's shared
# attachment). ``sha256`` and ``md5`` are set by the upload; ``expected_md5`` is the checksum the
# sender announced. Its status history is ``attachment_events``, appended to like a letter's log.
attachments = Table(
    "attachments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id"), nullable=False),
    Column("dialect", String(20), nullable=False),
    Column("name", String(255)),
    Column("file_name", String(255), nullable=False),
    Column("senders_reference", Text),
    Column("mime", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("sha256", String(64)),
    Column("md5", String(32)),
    Column("expected_md5", String(32)),
    Column("size", BigInteger),
    Column("expires_at", UtcDateTime),
    Column("properties", JsonDocument, nullable=False, default=dict),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_attachments_sender_created", "sender_id", "created_at"),
)
Index(
    "ix_attachments_sha256",
    attachments.c.sha256,
    sqlite_where=attachments.c.sha256.is_not(None),
    postgresql_where=attachments.c.sha256.is_not(None),
)

attachment_events = Table(
    "attachment_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("attachment_id", Uuid, ForeignKey("attachments.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("text", String(500)),
    Index("ix_attachment_events_attachment_at", "attachment_id", "at"),
)

# --- Recipient actions, deadlines and batches with a life of their own (ACTIONS, migration 0008) ---

# A batch's state derived from its letters (Ekopost's campaign states), when it changed, and the
# output date before which its letters are not released.
batches.append_column(Column("output_at", UtcDateTime))
batches.append_column(Column("state", String(20), nullable=False, default="opened", server_default="opened"))
batches.append_column(Column("state_changed_at", UtcDateTime))
# A sender's batches of one dialect in a time span, newest first (Ekopost's campaign list).
Index("ix_batches_sender_created", batches.c.sender_id, batches.c.dialect, batches.c.created_at)
# How many letters of a batch have each status, counted from the index alone whenever one of them
# moves; partial, so letters outside batches (every plain send) cost it nothing.
Index(
    "ix_shipments_batch_status",
    shipments.c.batch_id,
    shipments.c.status,
    sqlite_where=shipments.c.batch_id.is_not(None),
    postgresql_where=shipments.c.batch_id.is_not(None),
)

# Each change of a batch's state, once (the state is the type); webhooks fan out from here too.
batch_events = Table(
    "batch_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("batch_id", Uuid, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("sender_id", Uuid, nullable=False),
    Column("type", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("data", JsonDocument, nullable=False, default=dict),
    UniqueConstraint("batch_id", "type"),
    Index("ix_batch_events_sender_at", "sender_id", "at"),
)

# What a letter's sender asked of its recipient: read (and confirm) by a due date.
letter_terms = Table(
    "letter_terms",
    metadata,
    Column("shipment_id", Uuid, ForeignKey("shipments.id", ondelete="CASCADE"), primary_key=True),
    Column("due_at", UtcDateTime),
    Column("needs_confirmation", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# When one document of a letter may no longer be downloaded (the letter itself lives on).
letter_document_expiry = Table(
    "letter_document_expiry",
    metadata,
    Column("shipment_id", Uuid, ForeignKey("shipments.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", Uuid, primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False),
)

# Webhook inspection (issues 12 and 13, WEBHOOKS): each attempt's request and response, as sent and
# as answered, each body bounded in size (``*_truncated`` when cut); a delivery that is a test event
# (it names no event); and the sandbox's request bins, which keep what was posted to them.
webhook_attempts.append_column(Column("request_method", String(10)))
webhook_attempts.append_column(Column("request_url", String(2000)))
webhook_attempts.append_column(Column("request_headers", JsonDocument))
webhook_attempts.append_column(Column("request_body", Text))
webhook_attempts.append_column(
    Column("request_body_truncated", Boolean, nullable=False, default=False, server_default=false())
)
webhook_attempts.append_column(Column("response_headers", JsonDocument))
webhook_attempts.append_column(Column("response_body", Text))
webhook_attempts.append_column(
    Column("response_body_truncated", Boolean, nullable=False, default=False, server_default=false())
)
webhook_deliveries.append_column(
    Column("is_test", Boolean, nullable=False, default=False, server_default=false())
)

request_bin_requests = Table(
    "request_bin_requests",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("bin", String(64), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("method", String(10), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("headers", JsonDocument, nullable=False),
    Column("body", Text, nullable=False),
    Column("body_size", Integer, nullable=False),
    Column("body_truncated", Boolean, nullable=False, default=False),
    # The subscription whose URL is this bin, and whether the request carries its valid signature.
    Column("webhook_id", Uuid),
    Column("signature", String(20), nullable=False),
    Column("signature_detail", String(500)),
    Index("ix_request_bin_requests_bin_id", "bin", "id"),
)

# Recovery after a crash (issue 13): every process that runs job workers, with its heartbeat. A
# running job's ``locked_by`` names one of these; when its process is known to be dead, its jobs
# are released at once instead of waiting out their lease.
workers = Table(
    "workers",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    # The kernel's boot id and pid namespace: processes that share it can see each other's pids.
    Column("machine", String(200)),
    # The process's start time in clock ticks since boot, so a reused pid is not taken for it.
    Column("pid_started", BigInteger),
    Column("started_at", UtcDateTime, nullable=False),
    Column("heartbeat_at", UtcDateTime, nullable=False),
)

# --- Reads that cost one page at any size (issue 13 item 7) ----------------------------------------
# A sender's event feed: only the events a sender polls for (domain/event_feed.py), of letters sent
# through ``dialect``, written in the event's transaction. A poll walks (sender, dialect, at, event)
# and reads one page of it, never the other events of the sender's letters.
event_feed = Table(
    "event_feed",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("sender_id", Uuid, nullable=False),
    Column("dialect", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("type", String(40), nullable=False),
    Column("channel", String(20)),
    Column("shipment_id", Uuid, nullable=False),
)
Index(
    "ix_event_feed_sender_id_dialect_at_event_id",
    event_feed.c.sender_id,
    event_feed.c.dialect,
    event_feed.c.at,
    event_feed.c.event_id,
)

# Letters routed per hour and channel ("" = not delivered), counted in the routing event's
# transaction, for the console's chart. Each process counts in its own ``shard``, so the group-commit
# writers of several processes never wait for each other's row; the chart adds the shards up.
routed_letters_per_hour = Table(
    "routed_letters_per_hour",
    metadata,
    Column("hour", UtcDateTime, primary_key=True),
    Column("channel", String(20), primary_key=True),
    Column("shard", Integer, primary_key=True),
    Column("letters", BigInteger, nullable=False),
)

# Letter lists filtered by status or channel (of all senders, or of one) walk an index in the
# list's order, (created_at, id) newest first, and stop after one page. A letter about a resource
# (Altinn) names it in a column of its own (domain/resources.py LETTER_RESOURCE_PROPERTY), so a
# search of one resource's letters reads only those.
shipments.append_column(Column("resource_id", String(255)))
Index(
    "ix_shipments_resource_id_created_at_id",
    shipments.c.resource_id,
    shipments.c.created_at,
    shipments.c.id,
)
Index("ix_shipments_status_created_at_id", shipments.c.status, shipments.c.created_at, shipments.c.id)
Index("ix_shipments_channel_created_at_id", shipments.c.channel, shipments.c.created_at, shipments.c.id)
Index(
    "ix_shipments_sender_id_status_created_at_id",
    shipments.c.sender_id,
    shipments.c.status,
    shipments.c.created_at,
    shipments.c.id,
)
Index(
    "ix_shipments_sender_id_channel_created_at_id",
    shipments.c.sender_id,
    shipments.c.channel,
    shipments.c.created_at,
    shipments.c.id,
)

# --- Digipost's sender-side extras (issue 11 part 2): a sender's archive, one-time links to an
# organisation's received letters, and the tags a sender puts on people ----------------------------
archives = Table(
    "archives",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(255)),
    # The name, or "" for the sender's default archive, so that one sender has one of each.
    Column("name_key", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("sender_id", "name_key"),
)

archive_documents = Table(
    "archive_documents",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("archive_id", Uuid, ForeignKey("archives.id", ondelete="CASCADE"), nullable=False),
    Column("sender_id", Uuid, nullable=False),
    Column("external_id", String(64), nullable=False),
    Column("file_name", String(255)),
    Column("file_type", String(30), nullable=False),
    Column("reference_id", String(255)),
    Column("content_type", String(100), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("archived_at", UtcDateTime, nullable=False),
    Column("deletion_at", UtcDateTime),
    UniqueConstraint("sender_id", "external_id"),
    Index("ix_archive_documents_archive_id_archived_at_id", "archive_id", "archived_at", "id"),
    Index("ix_archive_documents_sender_id_reference_id", "sender_id", "reference_id"),
)

archive_document_attributes = Table(
    "archive_document_attributes",
    metadata,
    Column("document_id", Uuid, ForeignKey("archive_documents.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("key", String(20), primary_key=True),
    Column("value", String(100), nullable=False),
    Index("ix_archive_document_attributes_key_value", "key", "value"),
)

inbox_content_links = Table(
    "inbox_content_links",
    metadata,
    # SHA-256 of the one-time token: the token itself is only ever in the URL handed out.
    Column("token_sha256", String(64), primary_key=True),
    Column("document_id", Uuid, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("recipient_id", Uuid, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
)

person_tags = Table(
    "person_tags",
    metadata,
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), primary_key=True),
    Column("personal_id", String(11), primary_key=True),
    Column("tag", String(40), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)

# --- SMS mailings to phone numbers and EDI invitations (EKOSMS, issue 9 items 6 and 7, migration 0016) ---

# One text to many phone numbers (Ekopost's SMS mailing): the mailing, each number with its status,
# and every change as an appended event.
sms_mailings = Table(
    "sms_mailings",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False),
    Column("dialect", String(20), nullable=False),
    Column("sender_name", String(15), nullable=False),
    Column("text", Text, nullable=False),
    Column("recipient_count", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status_changed_at", UtcDateTime, nullable=False),
    Index("ix_sms_mailings_sender_id_created_at", "sender_id", "created_at"),
)

sms_mailing_recipients = Table(
    "sms_mailing_recipients",
    metadata,
    Column("mailing_id", Uuid, ForeignKey("sms_mailings.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("phone", String(16), nullable=False),
    Column("status", String(10), nullable=False),
    Column("status_at", UtcDateTime, nullable=False),
    # The captured SMS in the blob store (sandbox without a gateway), so a reset releases it.
    Column("sms_sha256", String(64)),
    Column("detail", JsonDocument),
    Index("ix_sms_mailing_recipients_mailing_id_status", "mailing_id", "status"),
)

sms_mailing_events = Table(
    "sms_mailing_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("mailing_id", Uuid, ForeignKey("sms_mailings.id", ondelete="CASCADE"), nullable=False),
    Column("sender_id", Uuid, nullable=False),
    # The recipient's position in the mailing; None for the mailing's own events.
    Column("position", Integer),
    Column("type", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("data", JsonDocument, nullable=False, default=dict),
    Index("ix_sms_mailing_events_mailing_id_position", "mailing_id", "position"),
    Index("ix_sms_mailing_events_at", "at"),
)

# A customer's EDI senders (who sends EDI invoices) and the invitations to connect with their
# receivers, whose status the sandbox's EDI operator moves; each status once, as an appended event.
edi_senders = Table(
    "edi_senders",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("cin", String(20), nullable=False),
    Column("gln", String(13)),
    Column("details", JsonDocument, nullable=False, default=dict),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_edi_senders_sender_id_created_at", "sender_id", "created_at"),
)

edi_invitations = Table(
    "edi_invitations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False),
    Column("edi_sender_id", Uuid, ForeignKey("edi_senders.id", ondelete="CASCADE"), nullable=False),
    Column("receiver_cin", String(20)),
    Column("receiver_gln", String(13)),
    Column("status", String(30), nullable=False),
    Column("date_sent", UtcDateTime),
    Column("status_changed_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_edi_invitations_sender_id_created_at", "sender_id", "created_at"),
)

edi_invitation_events = Table(
    "edi_invitation_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("invitation_id", Uuid, ForeignKey("edi_invitations.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(30), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("data", JsonDocument, nullable=False, default=dict),
    UniqueConstraint("invitation_id", "status"),
)

# --- The print production line (PRINTLINE, issue 9 items 8 and 9, migration 0018) -----------------------
# A print batch: one print-ready PDF in the blob store holding many letters of a released batch, with
# its job ticket (each envelope's page range, sheets, postage and inserts). ``printed_at``: when the
# press has run it (its letters then printed and posted).
print_batches = Table(
    "print_batches",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), nullable=False),
    Column("batch_id", Uuid, ForeignKey("batches.id", ondelete="CASCADE")),
    Column("sha256", String(64), nullable=False),
    Column("pages", Integer, nullable=False),
    Column("sheets", Integer, nullable=False),
    Column("color", Boolean, nullable=False),
    Column("duplex", Boolean, nullable=False),
    Column("ticket", JsonDocument, nullable=False, default=dict),
    Column("created_at", UtcDateTime, nullable=False),
    Column("printed_at", UtcDateTime),
    Index("ix_print_batches_batch_id", "batch_id"),
    Index("ix_print_batches_created_at", "created_at"),
)

# A sender's print quotas (domain/print_limits.py); no row: the defaults.
sender_print_limits = Table(
    "sender_print_limits",
    metadata,
    Column("sender_id", Uuid, ForeignKey("senders.id", ondelete="CASCADE"), primary_key=True),
    Column("letters_per_month", Integer),
    Column("large_documents_per_day", Integer),
    Column("large_document_bytes", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# --- Signing in the inbox (SIGNER, issue 9 item 4 Ekopost einbox_signer, migration 0017) ---

# A letter whose primary document each signer signs in their inbox before it is delivered (by e-mail
# to info_email, with the signed document). Each signature is also a ``signed`` event of the letter;
# ``signed_at`` here is its projection, kept in the same transaction.
signing_requests = Table(
    "signing_requests",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("shipment_id", Uuid, ForeignKey("shipments.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("sender_id", Uuid, nullable=False),
    Column("info_email", String(254), nullable=False),
    Column("document_sha256", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("opened_at", UtcDateTime),
    Column("signed_sha256", String(64)),
    Column("completed_at", UtcDateTime),
)

signing_signers = Table(
    "signing_signers",
    metadata,
    Column("request_id", Uuid, ForeignKey("signing_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("party", String(64), nullable=False),
    # Null for a signer without an inbox, who signs by e-ID on the signing page (migration 0022).
    Column("recipient_id", Uuid, ForeignKey("recipients.id", ondelete="CASCADE"), nullable=True),
    Column("name", String(255), nullable=False),
    Column("email", String(254), nullable=False),
    Column("issuer", Boolean, nullable=False, default=False),
    Column("signed_at", UtcDateTime),
    Index("ix_signing_signers_recipient_id", "recipient_id"),
)

# --- Reads that stay one page (issue 13, ROBUST; migration 0020) ----------------------------------
# Altinn's search walks a resource's letters of one sender (or to one recipient) newest publish time
# first — the publish time being ``publish_at``, else ``created_at`` — and stops after its page; the
# event feed is pruned by age (``at``) beyond what a poll can ask for.
SHIPMENT_PUBLISH_TIME = func.coalesce(shipments.c.publish_at, shipments.c.created_at, type_=UtcDateTime)
Index(
    "ix_shipments_resource_id_sender_id_publish_time_id",
    shipments.c.resource_id,
    shipments.c.sender_id,
    SHIPMENT_PUBLISH_TIME,
    shipments.c.id,
)
Index(
    "ix_shipments_resource_id_recipient_id_publish_time_id",
    shipments.c.resource_id,
    shipments.c.recipient_id,
    SHIPMENT_PUBLISH_TIME,
    shipments.c.id,
)
Index("ix_event_feed_at", event_feed.c.at)

# --- Altinn Events API subscriptions (issue 10, ALTINNAPI; migration 0019) --------------------------
# A subscription made through ``/events/api/v1/subscriptions`` is one of Postbud's webhooks; this
# keeps what the Events API shows of it, under the number the Events API identifies it by.
events_api_subscriptions = Table(
    "events_api_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", Uuid, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("consumer", String(200), nullable=False),
    Column("resource_filter", String(300), nullable=False),
    Column("subject_filter", String(300)),
    Column("type_filter", String(300)),
    Column("created_at", UtcDateTime, nullable=False),
    # Altinn Events (migration 0021): when (wall-clock time) the endpoint answered the
    # validation event; nothing is delivered to the subscription before.
    Column("validated_at", UtcDateTime),
)
