-- Every accepted version of a mapping (who, when, content hash, the file's text) and every refused change of a
-- mapping folder with its problems: bin/ponte mapping history|diff|rollback, and the refusal in bin/ponte status.
create table mapping_history (
    id           bigint generated always as identity primary key,
    folder       varchar(500) not null,
    file         varchar(500),
    name         varchar(200),
    version      integer,
    content_hash varchar(64),
    content      text,
    outcome      varchar(20)  not null,
    problems     text,
    happened_at  timestamp with time zone not null,
    by_user      varchar(100) not null
);
create index mapping_history_name on mapping_history (name, id);
create index mapping_history_folder on mapping_history (folder, id);
