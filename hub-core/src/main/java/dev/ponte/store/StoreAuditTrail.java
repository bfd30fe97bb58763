package dev.ponte.store;

import dev.ponte.spi.AuditTrail;

import java.time.Clock;

/** {@link AuditTrail} of one instance over {@link AuditLog}: entries name the instance as actor. */
public final class StoreAuditTrail implements AuditTrail {

    private final Database db;
    private final String instance;
    private final Clock clock;

    public StoreAuditTrail(Database db, String instance, Clock clock) {
        this.db = db;
        this.instance = instance;
        this.clock = clock;
    }

    @Override
    public void append(String action, String target, String detail, String why) {
        db.inTransaction(c -> {
            AuditLog.append(c, instance, action, target, detail, why, clock.instant());
            return null;
        });
    }
}
