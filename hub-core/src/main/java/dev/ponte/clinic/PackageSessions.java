package dev.ponte.clinic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.model.Appointment;
import dev.ponte.store.ClinicLedger;
import dev.ponte.store.ClinicLedger.SessionState;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.validation.Messages;
import dev.ponte.validation.Rules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Package sessions: an appointment of an enrollment takes a session when it reaches a status configured to deduct
 * ({@link ClinicSettings#deductOn()}) and gives it back on a status configured to release. The balance never goes
 * below zero: the deduction that would is refused, kept as a {@value Rules#PACKAGE_EXHAUSTED} dead letter naming
 * the enrollment, and tried again when the enrollment changes (a renewal). Each change saves the enrollment's
 * {@code sessionsUsed}/{@code sessionsBalance} and appends {@value #USED} or {@value #RELEASED}. One row per
 * appointment ({@code package_session}) makes a redelivered event change nothing.
 */
final class PackageSessions {

    static final String USED = "package.session-used";
    static final String RELEASED = "package.session-released";
    /** The dead letters' "connector": the flow that kept them. */
    static final String FLOW = "flow-clinic";
    private static final Logger LOG = LoggerFactory.getLogger(PackageSessions.class);

    /** What an appointment's change did to its package. */
    enum Change { NONE, USED, RELEASED, REFUSED }

    private final ClinicSettings settings;
    private final ClinicRecords records;

    PackageSessions(ClinicSettings settings, ClinicRecords records) {
        this.settings = settings;
        this.records = records;
    }

    Change appointmentChanged(Connection c, String appointmentId, Appointment a, ClinicRecords.Cause cause,
                              Instant now) throws SQLException {
        Optional<SessionState> state = ClinicLedger.session(c, appointmentId);
        Optional<String> took = ClinicLedger.sessionEnrollment(c, appointmentId);
        // a session taken from another enrollment than the appointment's now is given back first
        if (state.orElse(null) == SessionState.USED && !took.get().equals(a.enrollmentId())) {
            release(c, appointmentId, took.get(), cause, now);
            state = Optional.of(SessionState.RELEASED);
        }
        if (a.enrollmentId() == null) {
            return Change.NONE;
        }
        if (settings.deductOn().contains(a.status()) && state.orElse(null) != SessionState.USED) {
            return deduct(c, appointmentId, a.enrollmentId(), cause, now);
        }
        if (settings.releaseOn().contains(a.status()) && state.orElse(null) == SessionState.USED) {
            release(c, appointmentId, a.enrollmentId(), cause, now);
            return Change.RELEASED;
        }
        return Change.NONE;
    }

    /**
     * The enrollment changed (imported again, renewed): its balance is recomputed, refused sessions tried again.
     *
     * @return the appointments whose refused session was deducted now (billing looks at them again)
     */
    java.util.List<String> enrollmentChanged(Connection c, String enrollmentId, ClinicRecords.Cause cause,
                                             Instant now) throws SQLException {
        java.util.List<String> deducted = new java.util.ArrayList<>();
        for (String appointmentId : ClinicLedger.refusedSessions(c, enrollmentId)) {
            Optional<Appointment> a = ClinicRecords.typed(c, Appointment.class, appointmentId);
            if (a.isPresent() && enrollmentId.equals(a.get().enrollmentId())
                    && settings.deductOn().contains(a.get().status())) {
                if (deduct(c, appointmentId, enrollmentId, cause, now) != Change.USED) {
                    break; // still none left: the later ones stay refused
                }
                deducted.add(appointmentId);
            }
        }
        balance(c, enrollmentId, cause, now);
        return deducted;
    }

    private Change deduct(Connection c, String appointmentId, String enrollmentId, ClinicRecords.Cause cause,
                          Instant now) throws SQLException {
        Optional<ObjectNode> enrollment = ClinicRecords.read(c, "PackageEnrollment", enrollmentId);
        if (enrollment.isEmpty()) {
            LOG.warn("packages: Appointment {} names PackageEnrollment {}, which the hub does not hold; no session"
                    + " deducted", appointmentId, enrollmentId);
            return Change.NONE;
        }
        int total = enrollment.get().path("sessionsTotal").asInt(0);
        int used = ClinicLedger.sessionsUsed(c, enrollmentId);
        if (used >= total) {
            Optional<SessionState> state = ClinicLedger.session(c, appointmentId);
            if (state.orElse(null) == SessionState.REFUSED
                    && enrollmentId.equals(ClinicLedger.sessionEnrollment(c, appointmentId).orElse(null))) {
                return Change.REFUSED; // kept already: a redelivery or a retry writes no second dead letter
            }
            Map<String, Object> args = Map.of("enrollment", enrollmentId, "appointment", appointmentId, "used", used,
                    "total", total);
            ObjectNode body = Json.MAPPER.createObjectNode().put("enrollmentId", enrollmentId)
                    .put("appointmentId", appointmentId).put("sessionsTotal", total).put("sessionsUsed", used);
            long dl = DeadLetters.addMessage(c, FLOW, DeadLetter.ErrorClass.VALIDATION, Rules.PACKAGE_EXHAUSTED,
                    Messages.format(Rules.PACKAGE_EXHAUSTED, Messages.EN, args), body.toString(),
                    "PackageEnrollment/" + enrollmentId, cause.correlationId(), now);
            ClinicLedger.session(c, appointmentId, enrollmentId, SessionState.REFUSED, dl, now);
            LOG.warn("packages: PackageEnrollment {} has no session left ({} of {}); Appointment {} not deducted,"
                    + " dead letter {}", enrollmentId, used, total, appointmentId, dl);
            return Change.REFUSED;
        }
        Optional<Long> refused = ClinicLedger.sessionDeadLetter(c, appointmentId);
        ClinicLedger.session(c, appointmentId, enrollmentId, SessionState.USED, null, now);
        if (refused.isPresent()) {
            DeadLetters.close(c, refused.get(), DeadLetter.Status.REPLAYED, "session deducted after the enrollment"
                    + " changed");
        }
        ObjectNode after = balance(c, enrollmentId, cause, now);
        records.domainEvent(c, USED, enrollmentId, sessionData(after, enrollmentId, appointmentId),
                "clinic|" + USED + "|" + appointmentId + "|" + now.toEpochMilli(), cause, now);
        LOG.info("packages: Appointment {} used a session of PackageEnrollment {} ({} left)", appointmentId,
                enrollmentId, after.path("sessionsBalance").asInt());
        return Change.USED;
    }

    private void release(Connection c, String appointmentId, String enrollmentId, ClinicRecords.Cause cause,
                         Instant now) throws SQLException {
        ClinicLedger.session(c, appointmentId, enrollmentId, SessionState.RELEASED, null, now);
        ObjectNode after = balance(c, enrollmentId, cause, now);
        records.domainEvent(c, RELEASED, enrollmentId, sessionData(after, enrollmentId, appointmentId),
                "clinic|" + RELEASED + "|" + appointmentId + "|" + now.toEpochMilli(), cause, now);
        LOG.info("packages: Appointment {} gave its session back to PackageEnrollment {}", appointmentId,
                enrollmentId);
    }

    /** Saves the enrollment's used sessions and balance as the hub counts them; returns the record after. */
    private ObjectNode balance(Connection c, String enrollmentId, ClinicRecords.Cause cause, Instant now)
            throws SQLException {
        Optional<ObjectNode> before = ClinicRecords.read(c, "PackageEnrollment", enrollmentId);
        if (before.isEmpty()) {
            return Json.MAPPER.createObjectNode();
        }
        int used = ClinicLedger.sessionsUsed(c, enrollmentId);
        int total = before.get().path("sessionsTotal").asInt(0);
        ObjectNode after = before.get().deepCopy();
        after.put("sessionsUsed", used);
        after.put("sessionsBalance", Math.max(0, total - used));
        records.update(c, "PackageEnrollment", enrollmentId, before.get(), after, cause, now);
        return after;
    }

    private static ObjectNode sessionData(ObjectNode enrollment, String enrollmentId, String appointmentId) {
        return Json.MAPPER.createObjectNode().put("enrollmentId", enrollmentId).put("appointmentId", appointmentId)
                .put("sessionsTotal", enrollment.path("sessionsTotal").asInt())
                .put("sessionsUsed", enrollment.path("sessionsUsed").asInt())
                .put("sessionsBalance", enrollment.path("sessionsBalance").asInt());
    }
}
