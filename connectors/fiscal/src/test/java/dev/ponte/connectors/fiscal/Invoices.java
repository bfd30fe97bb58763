package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.SampleCommands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Invoice commands as the hub builds them (the record and, by path, its charge, patient, appointment, procedure). */
final class Invoices {

    /** The issuer of the test certificate {@link Keytool#DNAME}. */
    static final String ISSUER = "12345678000195";

    private Invoices() {
    }

    /** The options of an instance against {@code sefinBaseUrl}, signing with {@code certificate}. */
    static Map<String, String> config(String sefinBaseUrl, Path certificate, Path schemas) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("issuer-cnpj", ISSUER);
        c.put("issuer-municipal-registration", "12345678");
        c.put("issuer-municipality-code", "3550308");
        c.put("issuer-simples-nacional", "me-epp");
        c.put("issuer-simples-apportionment", "all-in-sn");
        c.put("schemas", schemas.toString());
        c.put("certificate", certificate.toString());
        c.put("certificate-password", Keytool.PASSWORD);
        c.put("base-url", sefinBaseUrl);
        c.put("timeout", "2s");
        return c;
    }

    /** The stand-in schemas of the test resources (not the official ones: see their README). */
    static Path standInSchemas() {
        Path p = Path.of("src/test/resources/stand-in-schemas").toAbsolutePath();
        if (!Files.isRegularFile(p.resolve(FiscalSchemas.DPS_SCHEMA))) {
            throw new IllegalStateException("stand-in schemas not found at " + p);
        }
        return p;
    }

    /** A PENDING NFS-e of number {@code number} for a paid charge of a facial cleansing. */
    static OutboundCommand pending(String invoiceId, long number, Instant time) {
        ObjectNode invoice = Json.MAPPER.createObjectNode().put("id", invoiceId).put("kind", "NFSE")
                .put("chargeId", "C-900").put("number", Long.toString(number)).put("series", "1")
                .put("status", "PENDING").put("amount", new java.math.BigDecimal("350.00"))
                .put("issuerCnpj", ISSUER).put("recipientCpf", SampleCommands.PATIENT_CPF);
        Map<String, JsonNode> related = new LinkedHashMap<>();
        related.put("chargeId", json("{\"id\":\"C-900\",\"patientId\":\"P-1\",\"appointmentId\":\"A-7\","
                + "\"dueDate\":\"2026-12-01\",\"amount\":350.00,\"status\":\"PAID\",\"payer\":\"PATIENT\"}"));
        related.put("chargeId.patientId", json("{\"id\":\"P-1\",\"name\":\"Ana Lima Souza\",\"cpf\":\""
                + SampleCommands.PATIENT_CPF + "\",\"mobilePhone\":\"" + SampleCommands.PATIENT_PHONE + "\"}"));
        related.put("chargeId.appointmentId", json("{\"id\":\"A-7\",\"patientId\":\"P-1\",\"procedureCode\":"
                + "\"LIMP\",\"start\":\"2026-12-01T14:00:00-03:00\",\"status\":\"ATTENDED\"}"));
        related.put("chargeId.appointmentId.procedureCode", json("{\"code\":\"LIMP\",\"name\":\"Limpeza de pele "
                + "profunda\",\"kind\":\"SERVICE\",\"serviceItem\":\"06.02\"}"));
        return new OutboundCommand(UUID.randomUUID().toString(), KitHub.INSTANCE + ":invoice:" + invoiceId, "Invoice", OutboundCommand.Action.UPSERT, invoiceId, invoice, related,
                "invoice.upserted", "test-correlation", UUID.randomUUID().toString(), time);
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
