-- optimistic versioning of connector state (dev.ponte.spi.ConnectorStateStore): a write names the version it read
alter table connector_state add column state_version bigint default 1 not null;
