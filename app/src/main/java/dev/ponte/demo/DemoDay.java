package dev.ponte.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.fiscal.FiscalTriggerSettings;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.reconcile.Reconciliation;
import dev.ponte.reconcile.ReconciliationRun;
import dev.ponte.spi.MessageEvents;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Messages;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One day at the clinic, run by {@code ponte demo} on a simulated clock against a hub whose connectors are all in
 * sandbox mode: the morning import of the demo export and of the day's agenda ({@code examples/demo-day}), the
 * reminders as the clock moves, the patients' simulated replies, the clinic system's end-of-day export (attended,
 * no-show), the payment gateway's report of the day's payments, the invoices and receipts that follow, and the
 * day's reconciliation. Everything goes through the hub's own paths (inboxes, mappings, flows, sinks); only the
 * patients and the payment gateway are played by the demo.
 */
public final class DemoDay {

    /** When the demo's day starts and ends, clinic time. */
    static final LocalTime START = LocalTime.of(6, 30);
    static final LocalTime END_OF_AGENDA = LocalTime.of(18, 0);
    static final Duration TICK = Duration.ofMinutes(10);
    static final Duration WAIT = Duration.ofMinutes(5);
    static final Charset LEGACY = StandardCharsets.ISO_8859_1;
    static final String DAY_PLACEHOLDER = "HOJE";
    /** The day's appointment whose patient does not come. */
    static final String NO_SHOW = "300005";
    /** What each patient answers to the reminder, by the appointment's code; anyone else answers "1". */
    static final Map<String, String> ANSWERS = Map.of("300004", "2", "300002", "Sim", "300015",
            "posso chegar 15 minutos atrasada?");

    /** The demo export's files, referenced ones first (the order of mappings/legacy-clinic's references). */
    static final List<String> EXPORT_ORDER = List.of("procedimentos.csv", "profissionais.csv", "pacientes.csv",
            "pacotes.csv", "coberturas.csv", "agenda.csv", "financeiro.csv");

    /**
     * The patients as the demo plays them: each answers a reminder through the channel it came by. The demo's own
     * patients ({@link #SANDBOX}) hand the reply to the hub as a sandboxed connector would; a test of the whole day
     * against protocol stand-ins answers through each channel's real inbound path (a signed WhatsApp webhook, an
     * SMS from the SMSC).
     */
    @FunctionalInterface
    public interface Patients {
        /** The patient of {@code reminder} answers {@code text} at {@code at}. */
        void answer(PonteHub hub, Messages.StoredMessage reminder, String text, java.time.Instant at) throws Exception;
    }

    /** The sandbox's patients: the reply reaches the hub's messaging core as the channel's connector hands it. */
    public static final Patients SANDBOX = (hub, m, text, at) -> hub.messaging().events().reply(
            new MessageEvents.PatientReply(m.connector(), "demo-reply-" + m.id(), m.recipient(), m.externalId(),
                    text, null, at));

    private final HubSettings settings;
    private final Path export;
    private final Path agendaFile;
    private final PrintWriter out;
    private final LocalDate day;
    private final ZoneId zone;
    private final Patients patients;

    /** The demo's day: the shipped export ({@code examples/legacy-clinic}) and agenda ({@code examples/demo-day}). */
    public DemoDay(HubSettings settings, Path home, LocalDate day, PrintWriter out) {
        this(settings, home.resolve("examples/legacy-clinic"), home.resolve("examples/demo-day/agenda.csv"), day,
                out, SANDBOX);
    }

    /**
     * @param export     the clinic system's export (the files of {@link #EXPORT_ORDER} it holds)
     * @param agendaFile the day's agenda, {@value #DAY_PLACEHOLDER} in {@code DATA} for the day
     */
    public DemoDay(HubSettings settings, Path export, Path agendaFile, LocalDate day, PrintWriter out,
                   Patients patients) {
        this.settings = settings;
        this.export = export;
        this.agendaFile = agendaFile;
        this.day = day;
        this.out = out;
        this.patients = patients;
        this.zone = ZoneId.of(settings.get("ponte.messaging.zone"));
    }

    /** The day the demo lives when run on {@code today}: today, or the Saturday when today is a Sunday. */
    public static LocalDate dayOf(LocalDate today) {
        // the clinic is closed on Sundays (a quiet day of the messaging): the demo lives the Saturday
        return today.getDayOfWeek() == java.time.DayOfWeek.SUNDAY ? today.minusDays(1) : today;
    }

    /** The instant the day starts at (06:30, clinic time): a clock for {@link #live} starts there. */
    public java.time.Instant start() {
        return day.atTime(START).atZone(zone).toInstant();
    }

    /** Runs the day on its own hub and clock; returns the summary printed at its end. */
    public DemoSummary run() throws Exception {
        DemoClock clock = new DemoClock(start(), zone);
        try (PonteHub hub = PonteHub.prepare(settings, clock).start(true)) {
            say(clock, "the hub runs: every connector in sandbox mode (nothing leaves this machine)");
            return live(hub, clock);
        }
    }

    /**
     * Lives the day on a started hub whose clock is {@code clock} (at {@link #start()}): the exports, the ticks, the
     * patients' answers, the end-of-day export, the payments, the reconciliation. Returns with the hub idle.
     */
    public DemoSummary live(PonteHub hub, DemoClock clock) throws Exception {
        Path legacyInbox = inbox("legacy");
        Path paymentsInbox = inbox("payments");
        List<Path> inboxes = List.of(legacyInbox, paymentsInbox);
        say(clock, "the clinic system's export arrives in " + legacyInbox + " (" + export + ")");
        try (Stream<Path> files = Files.list(export)) {
            // referenced files first (as the inbox takes them), so that a poll in the middle of the drops
            // never takes the appointments before their patients
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted(java.util.Comparator
                    .comparingInt((Path p) -> EXPORT_ORDER.indexOf(p.getFileName().toString()))).toList()) {
                drop(legacyInbox, f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        HubIdle.await(hub, clock, inboxes, WAIT);
        say(clock, "the day's agenda arrives (examples/demo-day/agenda.csv, " + day.format(BR) + ")");
        List<String> agenda = dayAgenda();
        drop(legacyInbox, "agenda.csv", String.join("\r\n", agenda).concat("\r\n").getBytes(LEGACY));
        HubIdle.await(hub, clock, inboxes, WAIT);

        Set<String> answered = new HashSet<>();
        int replies = 0;
        while (clock.instant().isBefore(day.atTime(END_OF_AGENDA).atZone(zone).toInstant())) {
            clock.advance(TICK);
            HubIdle.await(hub, clock, inboxes, WAIT);
            int now = answer(hub, clock, answered);
            replies += now;
            if (now > 0) {
                HubIdle.await(hub, clock, inboxes, WAIT);
            }
            if (clock.instant().atZone(zone).getMinute() == 0) {
                say(clock, sentSoFar(hub) + " patient message(s) sent so far, " + replies + " repl"
                        + (replies == 1 ? "y" : "ies") + " from patients");
            }
        }

        say(clock, "the clinic system's end-of-day export: who came, who did not");
        drop(legacyInbox, "agenda.csv", String.join("\r\n", endOfDay(hub, agenda)).concat("\r\n")
                .getBytes(LEGACY));
        HubIdle.await(hub, clock, inboxes, WAIT);

        clock.advance(Duration.ofMinutes(30));
        List<String> payments = payments(hub);
        say(clock, "the payment gateway reports " + (payments.size() - 1) + " payment(s) of today's charges");
        drop(paymentsInbox, "recebimentos.csv", String.join("\r\n", payments).concat("\r\n")
                .getBytes(StandardCharsets.UTF_8));
        HubIdle.await(hub, clock, inboxes, WAIT);
        for (int i = 0; i < 3; i++) { // the receipts the authorizations scheduled go out
            clock.advance(TICK);
            HubIdle.await(hub, clock, inboxes, WAIT);
        }

        clock.advance(Duration.ofMinutes(30));
        say(clock, "the day's reconciliation");
        LocalDate fiscalFrom = FiscalTriggerSettings.from(settings.all(), null).from();
        ReconciliationRun.Result reconciled = ReconciliationRun.run(hub.database(),
                new Reconciliation(zone, fiscalFrom), day, settings.dataDir().resolve("reports"), "ponte demo",
                settings.clinic(), clock.instant());
        HubIdle.await(hub, clock, inboxes, WAIT);
        return DemoSummary.of(hub.database(), day, zone, agendaCodes(agenda), reconciled,
                settings.dataDir().resolve("legacy-outbox"));
    }

    /** Waits until the hub is idle (see {@link HubIdle}); for a caller that changes something after {@link #live}. */
    public void awaitIdle(PonteHub hub, DemoClock clock) throws InterruptedException {
        HubIdle.await(hub, clock, List.of(inbox("legacy"), inbox("payments")), WAIT);
    }

    private static final DateTimeFormatter BR = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private void say(DemoClock clock, String what) {
        out.println(clock.instant().atZone(zone).toLocalTime() + "  " + what);
        out.flush();
    }

    private Path inbox(String instance) {
        String configured = settings.get("ponte.connectors." + instance + ".inbox");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : settings.dataDir().resolve("inbox").resolve(instance);
    }

    /** Writes a file into an inbox the way an export should arrive: whole, by an atomic rename. */
    private static void drop(Path inbox, String name, byte[] content) throws IOException {
        Files.createDirectories(inbox);
        Path tmp = inbox.getParent().resolve(name + ".part");
        Files.write(tmp, content);
        Files.move(tmp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The day's agenda with the demo's date in place of HOJE (header first). */
    private List<String> dayAgenda() throws IOException {
        List<String> lines = Files.readAllLines(agendaFile, LEGACY);
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                out.add(line.replace(";" + DAY_PLACEHOLDER + ";", ";" + day.format(BR) + ";"));
            }
        }
        return out;
    }

    private static List<String> agendaCodes(List<String> agenda) {
        return agenda.stream().skip(1).map(l -> l.substring(0, l.indexOf(';'))).toList();
    }

    /** Replies to the reminders sent at least one tick ago: the simulated patients. */
    private int answer(PonteHub hub, DemoClock clock, Set<String> answered) throws Exception {
        List<Messages.StoredMessage> sent = hub.database().inTransaction(c -> {
            List<Messages.StoredMessage> all = new ArrayList<>();
            for (Messages.StoredMessage m : Messages.recent(c, List.of(dev.ponte.model.MessageStatus.SENT,
                    dev.ponte.model.MessageStatus.DELIVERED, dev.ponte.model.MessageStatus.READ), 1000)) {
                if ("reminder".equals(m.purpose()) && ("WHATSAPP".equals(m.channel()) || "SMS".equals(m.channel()))
                        && m.sentAt() != null && !m.sentAt().isAfter(clock.instant().minus(TICK))
                        && !answered.contains(m.id())) {
                    all.add(m);
                }
            }
            return all;
        });
        int n = 0;
        for (Messages.StoredMessage m : sent) {
            answered.add(m.id());
            String code = hub.database().inTransaction(c -> CanonicalStore.sourceIds(c, "Appointment",
                    m.appointmentId())).getOrDefault("legacy-clinic", "");
            String text = ANSWERS.getOrDefault(code, "1");
            patients.answer(hub, m, text, clock.instant());
            n++;
        }
        return n;
    }

    private static long sentSoFar(PonteHub hub) {
        return hub.database().inTransaction(c -> Messages.countsByStatus(c)).entrySet().stream()
                .filter(e -> List.of("SENT", "DELIVERED", "READ").contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * The clinic system's second export of the day's agenda: a cancelled appointment stays CA, the no-show is FA,
     * every other one was attended (AT).
     */
    private List<String> endOfDay(PonteHub hub, List<String> agenda) {
        List<String> out = new ArrayList<>(List.of(agenda.get(0)));
        for (String line : agenda.subList(1, agenda.size())) {
            String[] f = line.split(";", -1);
            String status = hub.database().inTransaction(c -> CanonicalStore.referencedId(c, "legacy-clinic",
                    "Appointment", f[0]).flatMap(id -> {
                        try {
                            return CanonicalStore.payload(c, "Appointment", id);
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }).map(DemoDay::status).orElse(""));
            f[8] = "CANCELLED".equals(status) ? "CA" : NO_SHOW.equals(f[0]) ? "FA" : "AT";
            out.add(String.join(";", f));
        }
        return out;
    }

    private static String status(String payload) {
        try {
            return Json.MAPPER.readTree(payload).path("status").asText();
        } catch (IOException e) {
            return "";
        }
    }

    /** The payment gateway's report: one payment per open patient charge due today, PIX or card. */
    private List<String> payments(PonteHub hub) throws IOException {
        Map<String, String> charges = hub.database().inTransaction(c -> CanonicalStore.payloads(c, "Charge"));
        List<String> out = new ArrayList<>(List.of("ID_RECEBIMENTO;COBRANCA;DATA;VALOR;FORMA"));
        int n = 0;
        for (Map.Entry<String, String> e : new LinkedHashMap<>(charges).entrySet()) {
            JsonNode charge = Json.MAPPER.readTree(e.getValue());
            if (!"PATIENT".equals(charge.path("payer").asText()) || !"OPEN".equals(charge.path("status").asText())
                    || !day.toString().equals(charge.path("dueDate").asText())) {
                continue;
            }
            BigDecimal amount = charge.path("amount").decimalValue();
            if (amount.signum() <= 0) {
                continue;
            }
            n++;
            out.add(String.format("DEMO%s%04d;%s;%s;%s;%s", day.format(DateTimeFormatter.BASIC_ISO_DATE), n,
                    e.getKey(), day.format(BR), amount.setScale(2).toPlainString().replace('.', ','),
                    n % 3 == 0 ? "CARTAO_CREDITO" : "PIX"));
        }
        return out;
    }
}
