-- The sink-commands flow asks, for each event, whether a later change of the same record was recorded
-- (OutboundCommands.superseded): the record's events by subject, newest first.
create index event_subject on event (subject, seq);
