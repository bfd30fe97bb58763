-- Ponte store, version 8: the clinic flows (issue 16). Portable between H2 (MODE=PostgreSQL) and PostgreSQL.

-- The review list: what the booking checks (ClinicRules) found on a record and a person must look at (a chart field
-- the clinic requires is missing, the price is undefined, the plan does not cover the procedure...). One row per
-- record and rule; resolved_at is set when a later check no longer finds it. Never billed while one is open.
create table clinic_review (
    entity       varchar(40)  not null,
    record_id    varchar(64)  not null,
    rule         varchar(64)  not null,
    field        varchar(80),
    detail       varchar(500) not null,
    opened_at    timestamp with time zone not null,
    resolved_at  timestamp with time zone,
    primary key (entity, record_id, rule)
);
create index clinic_review_open on clinic_review (resolved_at, rule);

-- One row per appointment that took a session of a package: USED (deducted), RELEASED (given back), REFUSED (the
-- package had no session left: a dead letter names the enrollment). The primary key makes a redelivered event
-- deduct nothing twice; the balance is sessionsTotal minus the USED rows of the enrollment.
create table package_session (
    appointment_id varchar(64) primary key,
    enrollment_id  varchar(64) not null,
    state          varchar(10) not null,
    dead_letter_id bigint,
    changed_at     timestamp with time zone not null
);
create index package_session_by_enrollment on package_session (enrollment_id, state);

-- What billing decided for an appointment (appointment:<id>) or an up-front package (enrollment:<id>): CHARGED with
-- the charges made, or why it was not billed by the hub (BY_SOURCE, PACKAGE, HISTORY). Written once, in the
-- transaction that writes the charges: a second event or a restart never bills twice.
create table clinic_billing (
    billing_key  varchar(100) primary key,
    outcome      varchar(12)  not null,
    charges      varchar(200),
    detail       varchar(500),
    decided_at   timestamp with time zone not null
);

-- Payments applied to their charge (a Payment record from a source: a webhook, a finance export), once each.
create table clinic_payment (
    payment_id   varchar(64) primary key,
    charge_id    varchar(64) not null,
    applied_at   timestamp with time zone not null
);

-- Payments whose charge the hub did not hold yet when they arrived: applied when the charge arrives.
create table clinic_payment_pending (
    payment_id   varchar(64) primary key,
    charge_id    varchar(64) not null,
    received_at  timestamp with time zone not null
);
create index clinic_payment_pending_by_charge on clinic_payment_pending (charge_id);

-- Settings the hub fixes on its first run and keeps: billing.from, the first day the hub bills (appointments before
-- it are history, billed by the source system).
create table clinic_setting (
    setting_name  varchar(60)  primary key,
    setting_value varchar(200) not null
);
