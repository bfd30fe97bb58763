package dev.ponte.hub;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.ReviewList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clinic flows in a running hub: a small legacy export of today (written here, in the demo export's shape)
 * dropped in the inbox goes through the import, the event publisher and the flow {@code clinic}: private, insurance
 * and per-session package appointments are charged once each, an uncovered procedure stays on the review list, and
 * the package's third session, which it does not have, is a dead letter naming the enrollment.
 */
@Tag("store")
class ClinicFlowsIT {

    private static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");

    @TempDir
    Path dataDir;
    @TempDir
    Path export;
    private PonteHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of())).start(true);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void attendedAppointmentsOfTodayBecomeTheirChargesOnce() throws Exception {
        String today = LocalDate.now(ZONE).format(DateTimeFormatter.ofPattern("dd/MM/yyyy"));
        List<String> patients = Files.readAllLines(HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"),
                StandardCharsets.ISO_8859_1).subList(0, 3);
        write("procedimentos.csv", "CODIGO;DESCRICAO;VALOR;DURACAO_MIN;TIPO;ITEM_LC116;NCM",
                "P001;Limpeza de pele profunda;180,00;60;P;06.02;",
                "P003;Aplicação de toxina botulínica;1.200,00;30;P;04.03;");
        write("pacientes.csv", patients.toArray(String[]::new));
        write("pacotes.csv", "COD_PACOTE_PACIENTE;COD_PACIENTE;PACOTE;COD_PROCEDIMENTO;QTD_SESSOES;DATA_VINCULO;"
                + "RENOVACAO;LANCAMENTO;VALOR_TOTAL", "900;1001;Pacote 2 limpezas;P001;2;" + today + ";N;P;");
        Files.copy(HubTestSupport.DEMO_EXPORT.resolve("coberturas.csv"), export.resolve("coberturas.csv"));
        String header = "COD_AGENDA;COD_PACIENTE;DATA;HORA_INI;HORA_FIM;COD_PROFISSIONAL;SALA;COD_PROCEDIMENTO;"
                + "SITUACAO;VALOR;CONVENIO;SENHA_AUTORIZACAO;COD_PACOTE_PACIENTE;OBS";
        write("agenda.csv", header,
                "300001;1001;" + today + ";08:00;08:40;1;Sala 1;P001;AT;250,00;PARTICULAR;;;",
                "300002;1001;" + today + ";09:00;09:30;1;Sala 1;P003;AT;1.200,00;UNIMED;S123;;",
                "300003;1001;" + today + ";10:00;10:30;1;Sala 1;P003;AT;1.200,00;AMIL;S9;;",
                "300004;1001;" + today + ";11:00;11:40;1;Sala 1;P001;AT;;PARTICULAR;;900;",
                "300005;1001;" + today + ";12:00;12:40;1;Sala 1;P001;AT;;PARTICULAR;;900;",
                "300006;1001;" + today + ";13:00;13:40;1;Sala 1;P001;AT;;PARTICULAR;;900;");
        Path inbox = dataDir.resolve("inbox/legacy");
        try (var files = Files.list(export)) {
            HubTestSupport.drop(inbox, files.sorted().toArray(Path[]::new));
        }

        // private 250; UNIMED P003: 800 allowed, 10 % copay → 80 patient + 720 plan; two package sessions at 180
        await("the charges of the attended appointments").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(charges()).as(() -> Waits.hubState(hub)).containsExactlyInAnyOrder("PATIENT 250.00",
                        "PATIENT 80.00", "INSURANCE 720.00", "PATIENT 180.00", "PATIENT 180.00"));
        await("the third package session refused").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(hub.database().<List<DeadLetter>>inTransaction(c -> DeadLetters.list(c,
                        DeadLetters.Filter.OPEN))).extracting(d -> d.rules().get(0)).contains("package-exhausted"));
        Map<String, Long> review = hub.database().inTransaction(ReviewList::openByRule);
        assertThat(review).containsEntry("insurance-not-covered", 1L);
        String stored = hub.database().inTransaction(c -> CanonicalStore.payloads(c, "PackageEnrollment").values()
                .iterator().next());
        JsonNode enrollment = Json.MAPPER.readTree(stored);
        assertThat(enrollment.get("sessionsUsed").asInt()).isEqualTo(2);
        assertThat(enrollment.get("sessionsBalance").asInt()).isZero();
        assertThat(charges()).hasSize(5);
    }

    private List<String> charges() throws Exception {
        List<String> out = new ArrayList<>();
        for (String p : hub.database().inTransaction(c -> CanonicalStore.payloads(c, "Charge")).values()) {
            JsonNode n = Json.MAPPER.readTree(p);
            out.add(n.get("payer").asText() + " " + n.get("amount").decimalValue().setScale(2).toPlainString());
        }
        return out;
    }

    private void write(String name, String... lines) throws Exception {
        Files.writeString(export.resolve(name), String.join("\r\n", lines) + "\r\n", StandardCharsets.ISO_8859_1);
    }
}
