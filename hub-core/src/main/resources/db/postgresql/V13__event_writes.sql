-- Ponte store, version 13 on PostgreSQL: as on H2 (db/h2), "already taken in" is looked up through the record's own
-- events (index event_subject), so the index of every event's dedupe key goes. The sequence cache of the H2 version
-- is left out: see V3 in this folder.
drop index event_dedupe;
