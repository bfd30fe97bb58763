-- Ponte store, version 15: the audit log's head (its last number and hash) in a row of its own, which each append
-- locks (select ... for update) and moves. Locking the log's last row instead let two writers on PostgreSQL, which
-- does not serialize writes as the hub does on H2, read the same last row one after the other and both append the
-- same number.
create table audit_head (
    id        integer     primary key,
    last_seq  bigint      not null,
    last_hash varchar(64) not null
);
insert into audit_head (id, last_seq, last_hash)
    select 1, 0, '0000000000000000000000000000000000000000000000000000000000000000'
    where not exists (select 1 from audit_log);
insert into audit_head (id, last_seq, last_hash)
    select 1, seq, hash from audit_log where seq = (select max(seq) from audit_log);
