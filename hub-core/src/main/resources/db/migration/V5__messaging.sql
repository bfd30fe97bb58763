-- Ponte store, version 5: messages to patients (issue 13).

-- One row per message the hub means to send, by business key (reminder:<appointment>:<lead>, reply:<provider id>):
-- the key is unique, so a redelivered event, a restart or a second import never makes a second message.
create table message (
    id             varchar(36)  primary key,
    business_key   varchar(200) not null unique,
    patient_id     varchar(36)  not null,
    appointment_id varchar(36),
    purpose        varchar(20)  not null,
    template       varchar(100) not null,
    status         varchar(20)  not null,
    channel        varchar(20),
    connector      varchar(100),
    recipient      varchar(200),
    tried          varchar(200) not null default '',
    scheduled_for  timestamp with time zone not null,
    due_at         timestamp with time zone not null,
    queued_at      timestamp with time zone,
    sent_at        timestamp with time zone,
    external_id    varchar(200),
    reason         varchar(1000),
    command        text,
    updated_at     timestamp with time zone not null
);
create index message_due on message (status, due_at);
create index message_by_external_id on message (external_id);
create index message_by_appointment on message (appointment_id);
create index message_by_patient on message (patient_id, purpose, sent_at);
create index message_by_recipient on message (connector, recipient, sent_at);

-- Every step of a message: scheduled, each policy check's outcome, each channel tried, each status reported.
create table message_step (
    id          bigint generated always as identity primary key,
    message_id  varchar(36)  not null,
    at          timestamp with time zone not null,
    step        varchar(30)  not null,
    outcome     varchar(30)  not null,
    channel     varchar(20),
    reason      varchar(1000)
);
create index message_step_by_message on message_step (message_id, id);

-- What patients answered, once per provider message id; unclassified answers wait here for a person.
create table patient_reply (
    provider_id  varchar(200) primary key,
    connector    varchar(100) not null,
    message_id   varchar(36),
    sender       varchar(200) not null,
    body         varchar(4096),
    button       varchar(200),
    intent       varchar(20)  not null,
    received_at  timestamp with time zone not null,
    handled      varchar(200)
);
create index patient_reply_by_intent on patient_reply (intent, received_at);

-- Statuses a provider reported before the hub recorded the provider's id of the message (a webhook faster than the
-- sink's commit): applied when the id is recorded, in the same transaction.
create table message_status_early (
    id           bigint generated always as identity primary key,
    connector    varchar(100) not null,
    external_id  varchar(200) not null,
    status       varchar(20)  not null,
    at           timestamp with time zone not null,
    error_code   varchar(40),
    error_title  varchar(200),
    received_at  timestamp with time zone not null
);
create index message_status_early_by_id on message_status_early (connector, external_id);
