-- Ponte store, version 6: SMS segments and calendar invitations (issue 14).

-- How many billable parts the provider counted for a sent message (the segments of an SMS; null when it does not
-- count so).
alter table message add column parts integer;

-- The state of the appointment an invitation announces (a hash of its time, place and procedure, or 'cancelled'),
-- to know when a new invitation with a higher SEQUENCE is due.
alter table message add column revision varchar(64);
