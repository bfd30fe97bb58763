-- Ponte store, version 13: whether a change was already taken in is looked up through the record's own events
-- (subject = canonical id, index event_subject) instead of an index of every event's dedupe key. That index held a
-- ~150-character key per event and cost each event of a bulk import an insert into it (docs/performance.md).
drop index event_dedupe;
-- The event numbers come from a cache of 1,000,000 instead of 1,000: whenever the cache runs out, H2 writes its new
-- bound in a commit of its own that also writes every page changed so far (3 % of a bulk import's consumer at 1,000).
-- A crash leaves a gap in the numbers, never a repeat; they only order events.
alter table event alter column seq set cache 1000000;
