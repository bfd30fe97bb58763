package dev.ponte.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes an export of a legacy clinic system of any size, in the shape of {@code examples/legacy-clinic}: ISO-8859-1,
 * {@code ;}, CRLF, dd/MM/yyyy, comma decimals, masked CPF/CEP/phones. Deterministic for a seed. With
 * {@code badEvery > 0} one row in {@code badEvery} of patients and appointments is broken (bad CPF check digit,
 * unknown status). Streams: memory does not grow with the number of appointments. For benchmarks and crash tests.
 */
public final class LegacyExportGenerator {

    private static final String[] FIRST = {"Maria", "Ana", "Francisca", "Antônia", "Juliana", "Márcia", "José", "João",
            "Antônio", "Carlos", "Paulo", "Lucas", "Letícia", "Cecília", "Inês", "Açucena"};
    private static final String[] LAST = {"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves",
            "Pereira", "Lima", "Gomes", "Araújo", "Gonçalves", "Conceição", "Magalhães", "Simões", "Sá"};
    private static final String[][] CITIES = {{"São Paulo", "SP", "01", "11"}, {"Campinas", "SP", "13", "19"},
            {"Rio de Janeiro", "RJ", "20", "21"}, {"Belo Horizonte", "MG", "30", "31"}, {"Curitiba", "PR", "80", "41"},
            {"Salvador", "BA", "40", "71"}, {"Recife", "PE", "50", "81"}, {"Brasília", "DF", "70", "61"}};
    private static final String[][] PROCEDURES = {{"P001", "Limpeza de pele profunda", "180,00", "60", "P", "06.02", ""},
            {"P002", "Peeling químico", "350,00", "45", "P", "06.02", ""},
            {"P003", "Aplicação de toxina botulínica", "1.200,00", "30", "P", "04.03", ""},
            {"P004", "Preenchimento com ácido hialurônico", "1.800,00", "60", "P", "04.03", ""},
            {"P005", "Drenagem linfática", "150,00", "50", "P", "06.02", ""},
            {"P009", "Radiofrequência facial", "280,00", "40", "P", "06.02", ""},
            {"R001", "Protetor solar FPS 60 50g", "89,90", "0", "R", "", "33049910"}};
    private static final String[] STATUS = {"AG", "CF", "AT", "AT", "AT", "FA", "CA", "RE"};
    private static final String[] ROOMS = {"Sala 1", "Sala 2", "Sala Laser", "Consultório"};
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final LocalDate BASE = LocalDate.of(2026, 1, 5);

    private LegacyExportGenerator() {
    }

    /** What was written: rows per file and how many of them are broken on purpose. */
    public record Summary(int patients, int badPatients, long appointments, long badAppointments) {
    }

    public static Summary generate(Path out, int patients, long appointments, int badEvery, long seed)
            throws IOException {
        Files.createDirectories(out);
        Random r = new Random(seed);
        try (BufferedWriter w = writer(out, "procedimentos.csv")) {
            line(w, "CODIGO", "DESCRICAO", "VALOR", "DURACAO_MIN", "TIPO", "ITEM_LC116", "NCM");
            for (String[] p : PROCEDURES) {
                line(w, p);
            }
        }
        try (BufferedWriter w = writer(out, "profissionais.csv")) {
            line(w, "CODIGO", "NOME", "CONSELHO", "NUM_CONSELHO", "UF_CONSELHO", "AGENDA_GOOGLE");
            line(w, "1", "Dra. Camila Rocha", "CRM", "123456", "SP", "prof1@clinica-exemplo.com.br");
            line(w, "2", "Juliana Prado", "CRBM", "22334", "SP", "prof2@clinica-exemplo.com.br");
        }
        List<String> good = new ArrayList<>();
        int badPatients = 0;
        try (BufferedWriter w = writer(out, "pacientes.csv")) {
            line(w, "CODIGO", "NOME", "CPF", "DATA_NASC", "SEXO", "TELEFONE", "CELULAR", "EMAIL", "ENDERECO", "NUMERO",
                    "COMPLEMENTO", "BAIRRO", "CIDADE", "UF", "CEP", "CONVENIO", "CARTEIRINHA", "ORIGEM", "ALERGIAS",
                    "OBSERVACOES", "DT_CADASTRO", "ACEITA_WHATSAPP", "ACEITA_SMS", "ACEITA_EMAIL");
            for (int i = 0; i < patients; i++) {
                String code = String.valueOf(1000 + i);
                String cpf = cpf(r);
                boolean bad = badEvery > 0 && i % badEvery == badEvery - 1;
                if (bad) {
                    cpf = cpf.substring(0, 9) + ((cpf.charAt(9) - '0' + 1) % 10) + cpf.charAt(10);
                    badPatients++;
                } else {
                    good.add(code);
                }
                String[] city = CITIES[r.nextInt(CITIES.length)];
                line(w, code, FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)] + " "
                                + LAST[r.nextInt(LAST.length)], mask(cpf),
                        BASE.minusDays(6000 + r.nextInt(20000)).format(DATE), r.nextInt(4) == 0 ? "M" : "F", "",
                        "(" + city[3] + ") 9" + (1000 + r.nextInt(9000)) + "-" + (1000 + r.nextInt(9000)),
                        "paciente" + i + "@exemplo.com.br", "Rua das Flores", String.valueOf(1 + r.nextInt(3999)), "",
                        "Centro", city[0], city[1], city[2] + (100 + r.nextInt(900)) + "-" + (100 + r.nextInt(900)),
                        "PARTICULAR", "", "Instagram", "", "", BASE.minusDays(r.nextInt(2000)).format(DATE), "S", "N",
                        "S");
            }
        }
        try (BufferedWriter w = writer(out, "pacotes.csv")) {
            line(w, "COD_PACOTE_PACIENTE", "COD_PACIENTE", "PACOTE", "COD_PROCEDIMENTO", "QTD_SESSOES", "DATA_VINCULO",
                    "RENOVACAO", "LANCAMENTO", "VALOR_TOTAL");
        }
        long badAppointments = 0;
        try (BufferedWriter w = writer(out, "agenda.csv")) {
            line(w, "COD_AGENDA", "COD_PACIENTE", "DATA", "HORA_INI", "HORA_FIM", "COD_PROFISSIONAL", "SALA",
                    "COD_PROCEDIMENTO", "SITUACAO", "VALOR", "CONVENIO", "SENHA_AUTORIZACAO", "COD_PACOTE_PACIENTE",
                    "OBS");
            for (long j = 0; j < appointments; j++) {
                String[] p = PROCEDURES[r.nextInt(PROCEDURES.length - 1)];
                LocalDateTime start = BASE.plusDays(r.nextInt(360) - 120).atTime(8, 0).plusMinutes(30L * r.nextInt(22));
                boolean bad = badEvery > 0 && j % badEvery == badEvery - 1;
                badAppointments += bad ? 1 : 0;
                line(w, String.valueOf(200000 + j), good.get(r.nextInt(good.size())), start.format(DATE),
                        start.format(TIME), start.plusMinutes(Integer.parseInt(p[3])).format(TIME),
                        String.valueOf(1 + r.nextInt(2)), ROOMS[r.nextInt(ROOMS.length)], p[0],
                        bad ? "ZZ" : STATUS[r.nextInt(STATUS.length)], p[2], "PARTICULAR", "", "", "");
            }
        }
        try (BufferedWriter w = writer(out, "financeiro.csv")) {
            line(w, "COD_LANC", "COD_PACIENTE", "COD_AGENDA", "DATA_VENC", "DATA_PAGTO", "VALOR", "VALOR_PAGO",
                    "FORMA_PAGTO", "STATUS", "NF_NUMERO");
        }
        return new Summary(patients, badPatients, appointments, badAppointments);
    }

    private static BufferedWriter writer(Path out, String name) throws IOException {
        return Files.newBufferedWriter(out.resolve(name), StandardCharsets.ISO_8859_1);
    }

    private static void line(BufferedWriter w, String... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                w.write(';');
            }
            String c = cells[i];
            if (c.indexOf(';') >= 0 || c.indexOf('"') >= 0) {
                c = '"' + c.replace("\"", "\"\"") + '"';
            }
            w.write(c);
        }
        w.write("\r\n");
    }

    /** A CPF with valid check digits. */
    static String cpf(Random r) {
        int[] d = new int[11];
        for (int i = 0; i < 9; i++) {
            d[i] = r.nextInt(10);
        }
        if (d[0] == d[1] && d[1] == d[2]) {
            d[0] = (d[0] + 1) % 10;
        }
        for (int n = 9; n <= 10; n++) {
            int sum = 0;
            for (int i = 0; i < n; i++) {
                sum += d[i] * (n + 1 - i);
            }
            int rest = sum % 11;
            d[n] = rest < 2 ? 0 : 11 - rest;
        }
        StringBuilder sb = new StringBuilder();
        for (int x : d) {
            sb.append(x);
        }
        return sb.toString();
    }

    private static String mask(String cpf) {
        return cpf.substring(0, 3) + "." + cpf.substring(3, 6) + "." + cpf.substring(6, 9) + "-" + cpf.substring(9);
    }
}
