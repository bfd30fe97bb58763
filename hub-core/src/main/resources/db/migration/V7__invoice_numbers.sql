-- Ponte store, version 7: the fiscal trigger (issue 15). Portable between H2 (MODE=PostgreSQL) and PostgreSQL.

-- The last number taken per issuer and series. A number is taken with a row lock (select ... for update, then
-- update) in the transaction that writes the Invoice: a rolled-back transaction gives its number back, a committed
-- one is never taken again, so a series has neither gaps nor repeats.
create table invoice_number (
    issuer_cnpj  varchar(14) not null,
    series       varchar(5)  not null,
    last_number  bigint      not null,
    primary key (issuer_cnpj, series)
);

-- One fiscal document per charge, ever: written in the same transaction as the Invoice record, so a redelivered
-- event or a second hub thread cannot create a second one (the primary key refuses it, the loser rolls back).
create table invoice_of_charge (
    charge_id    varchar(64) primary key,
    invoice_id   varchar(64) not null unique,
    issuer_cnpj  varchar(14) not null,
    series       varchar(5)  not null,
    number       bigint      not null,
    created_at   timestamp with time zone not null,
    unique (issuer_cnpj, series, number)
);

-- Charges the trigger would invoice but cannot (a PRODUCT: NF-e is not built), with why, for the admin; removed
-- when the charge is invoiced.
create table invoice_skipped (
    charge_id    varchar(64)   primary key,
    reason       varchar(500)  not null,
    updated_at   timestamp with time zone not null
);

-- The appointment of each charge the trigger has seen, so that an appointment becoming ATTENDED finds its charges
-- (trigger on-attendance) without reading every charge.
create table invoice_charge_appointment (
    charge_id      varchar(64) primary key,
    appointment_id varchar(64) not null
);
create index invoice_charge_by_appointment on invoice_charge_appointment (appointment_id);
