package dev.ponte.cli;

import dev.ponte.admin.Addresses;
import dev.ponte.hub.PonteHub;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.Database;
import dev.ponte.store.Messages;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ponte messages ...}: the messages to patients, why each is where it is, and patients' replies. */
@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "Messages to patients (scheduled, sent, blocked, failed) and what patients answered.",
        subcommands = {MessagesCommand.ListMessages.class, MessagesCommand.Show.class, MessagesCommand.Replies.class,
                MessagesCommand.Retry.class})
final class MessagesCommand implements Runnable {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static String when(Instant t, ZoneId zone) {
        return t == null ? "-" : WHEN.format(t.atZone(zone));
    }

    static ZoneId zone(HubOptions hub) {
        String z = hub.settings().get("ponte.messaging.zone");
        try {
            return ZoneId.of(z == null ? "America/Sao_Paulo" : z);
        } catch (RuntimeException e) {
            return ZoneId.of("America/Sao_Paulo");
        }
    }

    /** A phone or e-mail with all but its end hidden: {@code +55•••••4283} ({@link Addresses#mask}). */
    static String mask(String address) {
        return Addresses.mask(address);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The newest messages, with their status and the reason for it (times in clinic time).")
    static final class ListMessages implements Callable<Integer> {

        @Option(names = "--status", split = ",", paramLabel = "STATUS",
                description = "Only these: SCHEDULED, QUEUED, SENT, DELIVERED, READ, FAILED, BLOCKED, CANCELLED.")
        List<String> statuses = new ArrayList<>();

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<MessageStatus> wanted = new ArrayList<>();
            for (String s : statuses) {
                try {
                    wanted.add(MessageStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("--status " + s + ": not a message status; one of "
                            + java.util.Arrays.toString(MessageStatus.values()));
                    spec.commandLine().getErr().flush();
                    return 2;
                }
            }
            ZoneId zone = zone(hub);
            try (Database db = PonteHub.openDatabase(hub.settings())) {
                List<Messages.StoredMessage> list = db.read(c -> Messages.recent(c, wanted, limit));
                out.printf("%-36s  %-9s  %-20s  %-16s  %-40s  %s%n", "id", "status", "channel path",
                        "scheduled for", "business key", "reason");
                for (Messages.StoredMessage m : list) {
                    out.printf("%-36s  %-9s  %-20s  %-16s  %-40s  %s%n", m.id(), m.status(), path(m),
                            when(m.scheduledFor(), zone), m.businessKey(), m.reason() == null ? "" : m.reason());
                }
                out.printf("%d message(s)%n", list.size());
                out.flush();
                return 0;
            }
        }
    }

    /**
     * The channels a message went through, in order: {@code WHATSAPP>SMS>EMAIL} (each one before the last failed);
     * {@code -} before the first.
     */
    static String path(Messages.StoredMessage m) {
        return m.tried().isEmpty() ? "-" : String.join(">", m.tried());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One message and every step it went through.")
    static final class Show implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ID", description = "The message's id or business key.")
        String id;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ZoneId zone = zone(hub);
            try (Database db = PonteHub.openDatabase(hub.settings())) {
                java.util.Optional<Messages.StoredMessage> found = db.read(c -> Messages.byId(c, id)
                        .or(() -> {
                            try {
                                return Messages.byKey(c, id);
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }));
                if (found.isEmpty()) {
                    spec.commandLine().getErr().println("no message " + id + "; see `ponte messages list`");
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                Messages.StoredMessage m = found.get();
                out.printf("message %s (%s)%n  status %s%s%n  purpose %s, template %s, patient %s%s%n"
                                + "  scheduled for %s, due %s, sent %s, channel path %s, to %s%s%n", m.id(),
                        m.businessKey(), m.status(), m.reason() == null ? "" : ": " + m.reason(), m.purpose(),
                        m.template(), m.patientId(), m.appointmentId() == null ? "" : ", appointment "
                                + m.appointmentId(), when(m.scheduledFor(), zone), when(m.dueAt(), zone),
                        when(m.sentAt(), zone), path(m), mask(m.recipient()), db.read(c -> Messages.parts(c, m.id()))
                                .map(n -> ", " + n + " billable part(s)").orElse(""));
                for (Messages.Step s : db.read(c -> Messages.steps(c, m.id()))) {
                    out.printf("  %s  %-12s %-10s %-9s %s%n", when(s.at(), zone), s.step(), s.outcome(),
                            s.channel() == null ? "" : s.channel(), s.reason() == null ? "" : s.reason());
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "replies", mixinStandardHelpOptions = true,
            description = "What patients answered; those the hub did not understand (UNKNOWN) wait for a person.")
    static final class Replies implements Callable<Integer> {

        @Option(names = "--intent", paramLabel = "INTENT",
                description = "Only CONFIRM, CANCEL, RESCHEDULE or UNKNOWN.")
        String intent;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ZoneId zone = zone(hub);
            try (Database db = PonteHub.openDatabase(hub.settings())) {
                List<Messages.Reply> list = db.read(c -> Messages.replies(c, intent == null ? null
                        : intent.toUpperCase(Locale.ROOT), limit));
                for (Messages.Reply r : list) {
                    out.printf("%s  %-10s from %s  about message %s%s%n    %s%n", when(r.receivedAt(), zone),
                            r.intent(), mask(r.sender()), r.messageId() == null ? "-" : r.messageId(),
                            r.handled() == null ? "" : " → " + r.handled(), r.button() != null
                                    ? "[button " + r.button() + "]" : r.body() == null ? "[no text: media or other]"
                                    : r.body());
                }
                out.printf("%d repl(ies)%n", list.size());
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Send a FAILED or BLOCKED message again, from its first channel, once the cause is fixed "
                    + "(the policy is checked again).")
    static final class Retry implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ID", description = "The message's id.")
        String id;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (Database db = PonteHub.openDatabase(hub.settings())) {
                String outcome = db.inTransaction(c -> dev.ponte.messaging.Messaging.retry(c, id,
                        HubOptions.actor(), Instant.now()).orElse(null));
                if (outcome != null) {
                    err.println(outcome);
                    err.flush();
                    return 1;
                }
                spec.commandLine().getOut().println("message " + id + " is due again; the running hub sends it");
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }
}
