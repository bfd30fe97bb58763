-- Ponte store, version 9: retention campaigns (issue 16). Portable between H2 (MODE=PostgreSQL) and PostgreSQL.

-- A message's own channel order (a campaign's channels, names of Channel separated by commas); null: the hub's
-- ponte.messaging.channels order.
alter table message add column channels varchar(60);

-- One run of a campaign per day: the unique key makes a second run of the same day record and send nothing.
create table campaign_run (
    id           varchar(36)  primary key,
    campaign     varchar(100) not null,
    version      integer      not null,
    run_day      date         not null,
    started_at   timestamp with time zone not null,
    actor        varchar(100) not null,
    unique (campaign, run_day)
);

-- Every patient a run looked at, once per run: excluded (an audience filter or the campaign's cadence, with why),
-- blocked (the messaging core's consent or recipient, with why) or scheduled (a RECALL message, its id); and what
-- followed, filled in later from the message, the patient's replies and appointments: when it was sent, the first
-- reply after it and the first appointment booked after it, within the campaign's attribution window.
create table campaign_target (
    run_id       varchar(36)  not null,
    patient_id   varchar(64)  not null,
    outcome      varchar(20)  not null,
    reason       varchar(40),
    detail       varchar(500),
    message_id   varchar(36),
    sent_at      timestamp with time zone,
    replied_at   timestamp with time zone,
    booked_at    timestamp with time zone,
    booked_appointment varchar(64),
    updated_at   timestamp with time zone not null,
    primary key (run_id, patient_id)
);
create index campaign_target_by_patient on campaign_target (patient_id, outcome);
create index campaign_target_by_message on campaign_target (message_id);
