-- Ponte store, version 1. Portable between H2 (MODE=PostgreSQL) and PostgreSQL.

-- One row per canonical record: its current JSON and a hash of that content.
create table canonical_record (
    entity_type  varchar(40)  not null,
    canonical_id varchar(64)  not null,
    payload      text         not null,
    content_hash varchar(64)  not null,
    version      integer      not null,
    created_at   timestamp with time zone not null,
    updated_at   timestamp with time zone not null,
    primary key (entity_type, canonical_id)
);

-- Cross-references: the id a record has in each source system → its canonical id.
create table xref (
    system       varchar(100) not null,
    entity_type  varchar(40)  not null,
    source_id    varchar(200) not null,
    canonical_id varchar(64)  not null,
    content_hash varchar(64)  not null,
    mapping      varchar(200),
    updated_at   timestamp with time zone not null,
    primary key (system, entity_type, source_id)
);
create index xref_by_canonical on xref (entity_type, canonical_id);

-- Patient identity: a CPF belongs to exactly one canonical patient.
create table patient_identity (
    cpf          varchar(11) primary key,
    canonical_id varchar(64) not null
);
-- Name + birth date of patients without CPF, for candidate matches (never merged silently).
create table patient_name_key (
    name_key     varchar(300) not null,
    canonical_id varchar(64)  not null,
    primary key (name_key, canonical_id)
);
create table review_candidate (
    id           bigint generated always as identity primary key,
    entity_type  varchar(40)  not null,
    canonical_id varchar(64)  not null,
    candidate_of varchar(64)  not null,
    reason       varchar(200) not null,
    status       varchar(20)  not null,
    created_at   timestamp with time zone not null
);

-- Canonical events (CloudEvents attributes), written in the same transaction as the change: an outbox that the
-- publisher drains to the ponte.events address.
create table event (
    seq            bigint generated always as identity primary key,
    id             varchar(64)  not null unique,
    type           varchar(80)  not null,
    source         varchar(200) not null,
    subject        varchar(200) not null,
    time           timestamp with time zone not null,
    clinic         varchar(100),
    mapping        varchar(200),
    correlation_id varchar(100),
    causation_id   varchar(100),
    dedupe_key     varchar(400) not null,
    data           text         not null,
    published      boolean      not null default false
);
create index event_unpublished on event (published, seq);
create index event_dedupe on event (dedupe_key);

-- Dead letters: every record that could not go through, with why, until replayed or discarded.
create table dead_letter (
    id             bigint generated always as identity primary key,
    connector      varchar(100) not null,
    system         varchar(100),
    mapping        varchar(200),
    error_class    varchar(30)  not null,
    rules          varchar(1000) not null,
    violations     text         not null,
    payload        text         not null,
    source_file    varchar(500),
    source_line    bigint,
    source_key     varchar(200),
    attempts       integer      not null,
    first_failure  timestamp with time zone not null,
    last_failure   timestamp with time zone not null,
    correlation_id varchar(100),
    status         varchar(20)  not null,
    resolution     varchar(1000)
);
create index dead_letter_status on dead_letter (status, id);

-- Append-only, hash-chained audit log.
create table audit_log (
    seq       bigint       primary key,
    at        timestamp with time zone not null,
    actor     varchar(100) not null,
    action    varchar(60)  not null,
    target    varchar(300) not null,
    detail    varchar(2000),
    why       varchar(1000),
    prev_hash varchar(64)  not null,
    hash      varchar(64)  not null
);

-- Imports: one run, one row per file with its counters (updated in the same transaction as the records).
create table import_run (
    id          varchar(64)  primary key,
    connector   varchar(100) not null,
    system      varchar(100),
    started_at  timestamp with time zone not null,
    finished_at timestamp with time zone
);
create table import_file (
    run_id     varchar(64)  not null,
    file_name  varchar(300) not null,
    mapping    varchar(200),
    rows_total bigint,
    rows_done  bigint  not null default 0,
    created    bigint  not null default 0,
    updated    bigint  not null default 0,
    unchanged  bigint  not null default 0,
    merged     bigint  not null default 0,
    rejected   bigint  not null default 0,
    primary key (run_id, file_name)
);

-- Per-connector state (watermarks of pollers).
create table connector_state (
    connector   varchar(100) not null,
    state_key   varchar(200) not null,
    state_value varchar(1000) not null,
    primary key (connector, state_key)
);
