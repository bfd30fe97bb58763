package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.MessageEvents.DeliveryStatus;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.RecordingMessageEvents;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The smpp provider against {@link SmscStandIn}, its sink and health called directly: the PDUs, receipts and
 * patients' SMS, refusals, a refused bind, and exactly-once submits across an SMSC that goes away and comes back.
 */
class SmppProviderIT {

    private static final String TO = SampleCommands.PATIENT_PHONE.substring(1);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant NOW = Instant.parse("2026-12-01T13:00:00Z");

    @TempDir
    Path work;
    private SmscStandIn smsc;
    private MemoryState state;
    private RecordingMessageEvents events;
    private final List<ConnectorInstance> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        smsc = new SmscStandIn();
        state = new MemoryState();
        events = new RecordingMessageEvents();
    }

    @AfterEach
    void stop() {
        opened.forEach(ConnectorInstance::close);
        smsc.close();
    }

    private ConnectorInstance open(Map<String, String> options, Clock clock) {
        ConnectorInstance i = Instances.open(options, false, work, state, (in, k, m, t, h, b) -> {
            throw new AssertionError("not in sandbox mode");
        }, events, clock);
        opened.add(i);
        return i;
    }

    /** Opened on the stand-in and bound. */
    private Sink bound() {
        return bound(smsc.config(), Clock.systemUTC());
    }

    private Sink bound(Map<String, String> options, Clock clock) {
        ConnectorInstance i = open(options, clock);
        await("bound").atMost(WAIT).until(() -> i.health().up());
        return i.sink();
    }

    /** Delivers as the hub's broker does: a retriable failure is tried again later, anything else ends it. */
    private static Sink.Delivery retrying(Sink sink, OutboundCommand command, Runnable onRetriable) {
        AtomicReference<Sink.Delivery> out = new AtomicReference<>();
        await("delivered").atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
            try {
                out.set(sink.deliver(command));
                return true;
            } catch (RetriableDeliveryException e) {
                onRetriable.run();
                return false;
            }
        });
        return out.get();
    }

    // ---- sending ------------------------------------------------------------------------------------------------

    @Test
    void aMessageIsOneSubmitAndItsReceiptIsReportedDeliveredUnderItsId() throws Exception {
        Sink sink = bound();
        Sink.Delivery d = sink.deliver(Messages.reminder());
        assertThat(d.detail()).isEqualTo("1 segment(s), GSM-7");
        assertThat(d.parts()).isEqualTo(1);
        assertThat(smsc.submits()).hasSize(1);
        SmscStandIn.Submit s = smsc.submits().get(0);
        assertThat(d.externalId()).isEqualTo(s.messageId());
        assertThat(s.sourceAddr()).isEqualTo("ClinicaBela");
        assertThat(s.sourceTon()).isEqualTo((byte) 5);
        assertThat(s.sourceNpi()).isEqualTo((byte) 0);
        assertThat(s.destination()).isEqualTo(TO);
        assertThat(s.destinationTon()).isEqualTo((byte) 1);
        assertThat(s.destinationNpi()).isEqualTo((byte) 1);
        assertThat(s.registeredDelivery()).as("a final receipt asked for").isEqualTo((byte) 0x01);
        assertThat(s.dataCoding()).isEqualTo((byte) 0x00);
        assertThat(s.esmClass()).isEqualTo((byte) 0x00);
        assertThat(s.udh()).isNull();
        assertThat(s.text()).isEqualTo(Messages.TEXT);
        await("the receipt").atMost(WAIT).untilAsserted(() -> assertThat(events.statuses()).singleElement()
                .satisfies(u -> {
                    assertThat(u.connector()).isEqualTo(KitHub.INSTANCE);
                    assertThat(u.externalId()).isEqualTo(d.externalId());
                    assertThat(u.status()).isEqualTo(DeliveryStatus.DELIVERED);
                    assertThat(u.errorCode()).isNull();
                }));
    }

    @Test
    void aLongTextGoesAsThreeSegmentsWithOneReferenceAndEveryReceiptUnderTheFirstId() throws Exception {
        Sink sink = bound();
        String text = ("Lembrete: sua sessao de Laser facial e amanha as 10:00 na Clinica Bela, Rua das Flores 100. ")
                .repeat(5).substring(0, 400);
        Sink.Delivery d = sink.deliver(Messages.to(SampleCommands.PATIENT_PHONE, text));
        assertThat(d.detail()).isEqualTo("3 segment(s), GSM-7");
        assertThat(d.parts()).isEqualTo(3);
        List<SmscStandIn.Submit> submits = smsc.submits();
        assertThat(submits).hasSize(3);
        assertThat(submits).extracting(SmscStandIn.Submit::esmClass).containsOnly((byte) 0x40);
        assertThat(submits).extracting(SmscStandIn.Submit::segment).containsExactly(1, 2, 3);
        assertThat(submits).extracting(SmscStandIn.Submit::segments).containsOnly(3);
        assertThat(submits).extracting(SmscStandIn.Submit::reference).containsOnly(submits.get(0).reference());
        assertThat(submits.get(1).udh()).containsExactly(0x05, 0x00, 0x03, submits.get(0).reference(), 3, 2);
        assertThat(submits.stream().map(SmscStandIn.Submit::text).collect(Collectors.joining())).isEqualTo(text);
        assertThat(d.externalId()).isEqualTo(submits.get(0).messageId());
        await("the three receipts").atMost(WAIT).untilAsserted(() -> assertThat(
                events.statuses()).extracting(MessageEvents.StatusUpdate::externalId).containsOnly(d.externalId()));
        smsc.sendReceipt(submits.get(2).messageId(), TO, "UNDELIV", "005");
        await("the failure of segment 3").atMost(WAIT).untilAsserted(() -> assertThat(events.statuses())
                .anySatisfy(u -> {
                    assertThat(u.externalId()).as("reported under the first id").isEqualTo(d.externalId());
                    assertThat(u.status()).isEqualTo(DeliveryStatus.FAILED);
                }));
    }

    @Test
    void anAccentedTextGoesAsUcs2AndReadsTheSameAtTheSmsc() throws Exception {
        Sink sink = bound();
        Sink.Delivery d = sink.deliver(Messages.to(SampleCommands.PATIENT_PHONE, Messages.ACCENTED));
        assertThat(d.detail()).isEqualTo("2 segment(s), UCS-2");
        assertThat(smsc.submits()).extracting(SmscStandIn.Submit::dataCoding).containsOnly((byte) 0x08);
        assertThat(smsc.submits().stream().map(SmscStandIn.Submit::text).collect(Collectors.joining()))
                .isEqualTo(Messages.ACCENTED);
    }

    @Test
    void withTransliterationAnAccentedTextGoesAsGsm7InPlainLetters() throws Exception {
        Map<String, String> options = new LinkedHashMap<>(smsc.config());
        options.put("transliterate", "true");
        options.put("from", "+5511300040000");
        Sink sink = bound(options, Clock.systemUTC());
        Sink.Delivery d = sink.deliver(Messages.to(SampleCommands.PATIENT_PHONE, Messages.ACCENTED));
        assertThat(d.detail()).isEqualTo("1 segment(s), GSM-7");
        SmscStandIn.Submit s = smsc.submits().get(0);
        assertThat(s.text()).isEqualTo("Ola Ana, sua sessao de Laser facial é amanha às 10:00. Responda 1 para "
                + "confirmar.");
        assertThat(s.sourceAddr()).isEqualTo("5511300040000");
        assertThat(s.sourceTon()).isEqualTo((byte) 1);
        assertThat(s.sourceNpi()).isEqualTo((byte) 1);
    }

    @Test
    void aNumberTheSmscRefusesIsAPermanentFailureNamingTheStatus() throws Exception {
        Sink sink = bound();
        smsc.rejectPermanently(SampleCommands.PATIENT_PHONE);
        OutboundCommand c = Messages.reminder();
        assertThatThrownBy(() -> sink.deliver(c)).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("0x0000000B ESME_RINVDSTADR (invalid destination address)")
                .hasMessageContaining(c.canonicalId())
                .hasMessageContaining("next channel")
                .message().doesNotContain(TO);
        assertThat(smsc.accepted()).isZero();
    }

    @Test
    void throttlingIsRetriedAndTheRetrySendsTheMessageOnce() throws Exception {
        Sink sink = bound();
        smsc.throttleNext(1);
        OutboundCommand c = Messages.reminder();
        assertThatThrownBy(() -> sink.deliver(c)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("ESME_RTHROTTLED").hasMessageContaining("ponte.connectors.kit.messages-per-second")
                .message().doesNotContain(TO);
        sink.deliver(Messages.again(c));
        assertThat(smsc.accepted()).isEqualTo(1);
        assertThat(smsc.requests()).hasSize(2);
    }

    @Test
    void theSameCommandDeliveredAgainIsNotSubmittedAgain() throws Exception {
        Sink sink = bound();
        OutboundCommand c = Messages.reminder();
        Sink.Delivery first = sink.deliver(c);
        Sink.Delivery again = sink.deliver(Messages.again(c));
        assertThat(again).isEqualTo(first);
        assertThat(smsc.accepted()).isEqualTo(1);
    }

    @Test
    void aFailedReceiptIsReportedWithItsErrorCodeAndStat() throws Exception {
        Sink sink = bound();
        smsc.failReceiptFor(SampleCommands.PATIENT_PHONE);
        Sink.Delivery d = sink.deliver(Messages.reminder());
        await("the failed receipt").atMost(WAIT).untilAsserted(() -> assertThat(events.statuses()).singleElement()
                .satisfies(u -> {
                    assertThat(u.externalId()).isEqualTo(d.externalId());
                    assertThat(u.status()).isEqualTo(DeliveryStatus.FAILED);
                    assertThat(u.errorCode()).isEqualTo("001");
                    assertThat(u.errorTitle()).isEqualTo("UNDELIV");
                }));
        assertThat(smsc.sendReceipt(d.externalId(), TO, "ENROUTE", "000")).isZero();
        assertThat(events.statuses()).as("ENROUTE reports nothing").hasSize(1);
    }

    // ---- receiving ----------------------------------------------------------------------------------------------

    @Test
    void aPatientsSmsIsRecordedAsAReplyFromTheE164Number() throws Exception {
        bound(smsc.config(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(smsc.sendInbound(TO, (byte) 1, "SIM", (byte) 0x00)).isZero();
        assertThat(smsc.sendInbound("11991214283", (byte) 2, "Não posso, vou remarcar", (byte) 0x08)).isZero();
        assertThat(smsc.sendInbound("11991214283", (byte) 0, "Até amanhã", (byte) 0x03)).isZero();
        List<MessageEvents.PatientReply> replies = events.replies();
        assertThat(replies).hasSize(3);
        assertThat(replies).extracting(MessageEvents.PatientReply::from).containsOnly(SampleCommands.PATIENT_PHONE);
        assertThat(replies).extracting(MessageEvents.PatientReply::text)
                .containsExactly("SIM", "Não posso, vou remarcar", "Até amanhã");
        assertThat(replies).extracting(MessageEvents.PatientReply::at).containsOnly(NOW);
        assertThat(replies).extracting(MessageEvents.PatientReply::connector).containsOnly(KitHub.INSTANCE);
        assertThat(replies).extracting(MessageEvents.PatientReply::inReplyTo).containsOnlyNulls();
        Set<String> ids = new HashSet<>(replies.stream().map(MessageEvents.PatientReply::providerId).toList());
        assertThat(ids).hasSize(3).allMatch(id -> id.startsWith("smpp:"));
    }

    @Test
    void whenTheHubCannotRecordAnSmsTheSmscIsAskedToDeliverItAgain() throws Exception {
        bound();
        events.failWith(new IllegalStateException("store unavailable"));
        assertThat(smsc.sendInbound(TO, (byte) 1, "SIM", (byte) 0x00)).as("ESME_RX_T_APPN").isEqualTo(0x64);
        events.failWith(null);
        assertThat(smsc.sendInbound(TO, (byte) 1, "SIM", (byte) 0x00)).isZero();
        assertThat(events.replies()).hasSize(1);
    }

    // ---- the bind -----------------------------------------------------------------------------------------------

    @Test
    void aRefusedBindIsDownNamingTheCredentialKeysAndSendsAreRetried() throws Exception {
        Map<String, String> options = new LinkedHashMap<>(smsc.config());
        options.put("password", "wrong-pw");
        ConnectorInstance i = open(options, Clock.systemUTC());
        await("the refusal").atMost(WAIT).untilAsserted(() -> assertThat(i.health().detail())
                .contains("refused the bind").contains("ESME_RBINDFAIL")
                .contains("ponte.connectors.kit.system-id").contains("ponte.connectors.kit.password"));
        assertThat(i.health().up()).isFalse();
        assertThat(i.health().detail()).doesNotContain("wrong-pw");
        assertThatThrownBy(() -> i.sink().deliver(Messages.reminder())).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining(SmscStandIn.HOST + ":" + smsc.port()).hasMessageContaining("retried")
                .message().doesNotContain("wrong-pw").doesNotContain(TO);
        assertThat(smsc.requests()).isEmpty();
    }

    @Test
    void closingUnbinds() {
        ConnectorInstance i = open(smsc.config(), Clock.systemUTC());
        await("bound").atMost(WAIT).until(() -> smsc.bound() && i.health().up());
        opened.remove(i);
        i.close();
        await("unbound").atMost(WAIT).until(() -> !smsc.bound());
        assertThat(i.health().up()).isFalse();
    }

    @Test
    void anSmscStoppedInTheMiddleOfABatchGetsEveryMessageExactlyOnceAfterItIsBack() throws Exception {
        Sink sink = bound();
        smsc.stopAfterAccepted(100);
        AtomicInteger retried = new AtomicInteger();
        Runnable startAgainOnceStopped = () -> {
            retried.incrementAndGet();
            if (!smsc.running()) {
                try {
                    smsc.start(); // on the same port
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        List<String> destinations = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String to = String.format("+5511990000%03d", i);
            destinations.add(to);
            ids.add(retrying(sink, Messages.to(to, Messages.TEXT + " #" + i), startAgainOnceStopped).externalId());
        }
        assertThat(retried.get()).as("sends retried while the SMSC was away").isPositive();
        assertThat(smsc.binds()).as("bound again after the restart").isGreaterThanOrEqualTo(2);
        assertThat(smsc.accepted()).isEqualTo(200);
        assertThat(destinations).allSatisfy(to -> assertThat(smsc.accepted(to)).as(to).isEqualTo(1));
        // the SMSC's receipts, those sent before the stop included, each reported once under its message's id
        await("200 receipts").atMost(WAIT).untilAsserted(() -> assertThat(events.statuses())
                .extracting(MessageEvents.StatusUpdate::externalId).containsExactlyInAnyOrderElementsOf(ids));
        assertThat(events.statuses()).extracting(MessageEvents.StatusUpdate::status)
                .containsOnly(MessageEvents.DeliveryStatus.DELIVERED);
    }

    @Test
    void aMessageCutAfterItsFirstSegmentSendsOnlyTheRestAfterTheReconnect() throws Exception {
        Sink sink = bound();
        String text = "x".repeat(400);
        OutboundCommand c = Messages.to(SampleCommands.PATIENT_PHONE, text);
        smsc.stopAfterAccepted(1);
        assertThatThrownBy(() -> sink.deliver(c)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("segment 2 of 3");
        await("the SMSC stopped").atMost(WAIT).until(() -> !smsc.running());
        smsc.start();
        Sink.Delivery d = retrying(sink, Messages.again(c), () -> { });
        assertThat(d.parts()).isEqualTo(3);
        assertThat(smsc.acceptedSegment(TO, 1)).isEqualTo(1);
        assertThat(smsc.acceptedSegment(TO, 2)).isEqualTo(1);
        assertThat(smsc.acceptedSegment(TO, 3)).isEqualTo(1);
        assertThat(smsc.submits()).extracting(SmscStandIn.Submit::reference)
                .containsOnly(smsc.submits().get(0).reference());
        assertThat(d.externalId()).isEqualTo(smsc.submits().get(0).messageId());
    }

    // ---- sandbox ------------------------------------------------------------------------------------------------

    @Test
    void sandboxModeRecordsEachWouldBeSubmitAndBindsNothing() throws Exception {
        List<String> recorded = new ArrayList<>();
        ConnectorInstance i = Instances.open(smsc.config(), true, work, state, (in, key, method, target, headers,
                body) -> recorded.add(method + " " + target + " " + headers + "\n" + body), events,
                Clock.systemUTC());
        opened.add(i);
        assertThat(i.health().up()).isTrue();
        Sink.Delivery d = i.sink().deliver(Messages.to(SampleCommands.PATIENT_PHONE, "x".repeat(200)));
        assertThat(d.parts()).isEqualTo(2);
        assertThat(d.externalId()).isNull();
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(0)).startsWith("SUBMIT_SM " + TO + " {smsc=127.0.0.1:" + smsc.port()
                + ", system-id=" + SmscStandIn.SYSTEM_ID + ", segment=1/2}")
                .contains("esm_class=0x40 registered_delivery=0x01 data_coding=0x00")
                .doesNotContain(SmscStandIn.PASSWORD);
        assertThat(smsc.binds()).isZero();
        assertThat(smsc.requests()).isEmpty();
    }
}
