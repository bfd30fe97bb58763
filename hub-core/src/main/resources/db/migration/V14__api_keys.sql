-- API keys of the admin API (bin/ponte apikey, /api/keys): the key is shown once when created and stored only as a
-- salted PBKDF2 hash; key_id is the key's public part (its prefix), so a request is checked against one row.
create table api_key (
    key_id       varchar(32)  primary key,
    name         varchar(100) not null,
    role         varchar(20)  not null,
    salt         varchar(64)  not null,
    hash         varchar(128) not null,
    iterations   integer      not null,
    created_at   timestamp with time zone not null,
    created_by   varchar(200) not null,
    revoked_at   timestamp with time zone,
    revoked_by   varchar(200),
    last_used_at timestamp with time zone
);
create unique index api_key_name on api_key (name);
