-- Ponte store, version 2: the outbound side.

-- One row per external effect a sink performed, by business key (<instance>:<entity>:<canonical id>): the content
-- last delivered, so the same command delivered twice has one external effect.
create table outbound_effect (
    business_key  varchar(300) primary key,
    connector     varchar(100) not null,
    content_hash  varchar(64)  not null,
    external_id   varchar(1100),
    detail        varchar(500),
    command_id    varchar(64)  not null,
    delivered_at  timestamp with time zone not null
);

-- Requests a connector in sandbox mode would have sent.
create table sandbox_request (
    id            bigint generated always as identity primary key,
    connector     varchar(100) not null,
    business_key  varchar(300),
    method        varchar(20)  not null,
    target        varchar(2000) not null,
    headers       text         not null,
    body          text,
    recorded_at   timestamp with time zone not null
);
create index sandbox_request_by_connector on sandbox_request (connector, id);
