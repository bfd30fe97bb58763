-- Ponte store, version 16: leases of the work that must run on one hub at a time (issue 21). The hub holding the
-- lease of a name until expires_at runs that work (inbox watching, polling, the calendar sync, the message
-- scheduler, reconciliation, the event publisher); it renews the lease well before it expires, and another hub takes
-- it once it has expired (the holder died) or was released (the holder stopped).
create table cluster_lease (
    name        varchar(100) primary key,
    holder      varchar(300) not null,
    acquired_at timestamp with time zone not null,
    expires_at  timestamp with time zone not null
);
