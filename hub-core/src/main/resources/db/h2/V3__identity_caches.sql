-- Ponte store, version 3: identity columns hand out numbers from a cache of 1,000.
-- With the default cache (32 in H2) every 32nd event made H2 write the sequence's new bound to disk in its own
-- commit: a sixth of the inbound consumer's time in a bulk import, and most of the database file's growth. A crash
-- leaves a gap in the numbers (never a repeat); the numbers only order rows.
alter table event alter column seq set cache 1000;
alter table dead_letter alter column id set cache 1000;
alter table review_candidate alter column id set cache 1000;
alter table sandbox_request alter column id set cache 1000;
