-- A row rejected again by a later import of the same export is the dead letter it already has (seen again), not a
-- new one: found by its source key.
create index dead_letter_key on dead_letter (source_key, status);
