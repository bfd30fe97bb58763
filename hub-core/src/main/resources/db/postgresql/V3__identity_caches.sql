-- Ponte store, version 3 on PostgreSQL: nothing. On H2 (db/h2) identity columns take numbers from a cache of 1,000.
-- A PostgreSQL sequence cache is per session: with several pooled connections (and several hubs) numbers would stop
-- following the order in which rows are written, and the event publisher, which drains by number, would publish a
-- record's later version before its earlier one. Without a cache a number is taken when the row is inserted, after
-- the record's row lock, so two versions of a record keep their order.
select 1;
