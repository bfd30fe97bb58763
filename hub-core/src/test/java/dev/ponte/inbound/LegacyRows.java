package dev.ponte.inbound;

import dev.ponte.TestGlossary;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.validation.RecordValidator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Rows of the legacy clinic's exports for tests, and the shipped mappings that read them. */
public final class LegacyRows {

    /** The shipped legacy-clinic mappings (a sibling module's files). */
    public static final Path MAPPINGS = Path.of("../mappings/legacy-clinic");
    /** Columns of {@code pacientes.csv}, in the order of the legacy system's export. */
    public static final List<String> PATIENT_COLUMNS = List.of("CODIGO", "NOME", "CPF", "DATA_NASC", "SEXO",
            "TELEFONE", "CELULAR", "EMAIL", "ENDERECO", "NUMERO", "COMPLEMENTO", "BAIRRO", "CIDADE", "UF", "CEP",
            "CONVENIO", "CARTEIRINHA", "ORIGEM", "ALERGIAS", "OBSERVACOES", "DT_CADASTRO", "ACEITA_WHATSAPP",
            "ACEITA_SMS", "ACEITA_EMAIL");

    private LegacyRows() {
    }

    public static FolderMappingRegistry mappings(RecordValidator validator) {
        return new FolderMappingRegistry(MAPPINGS, new MappingLoader(TestGlossary.get(), validator));
    }

    /** A valid patient row, with its own code and CPF (masked, as the export writes it). */
    public static List<String> patient(int code) {
        return List.of(String.valueOf(code), "Paciente " + code + " da Silva", maskedCpf(100_000_000 + code),
                "13/05/1980", "F", "", "(11) 99121-4283", "p" + code + "@exemplo.com.br", "Rua das Flores", "10", "",
                "Centro", "Campinas", "SP", "13745-642", "PARTICULAR", "", "Instagram", "", "", "22/05/2024", "S",
                "N", "S");
    }

    /** A CPF with valid check digits from nine digits. */
    static String maskedCpf(int nineDigits) {
        String base = String.format("%09d", nineDigits);
        int d1 = checkDigit(base, 10);
        int d2 = checkDigit(base + d1, 11);
        String cpf = base + d1 + d2;
        return cpf.substring(0, 3) + "." + cpf.substring(3, 6) + "." + cpf.substring(6, 9) + "-" + cpf.substring(9);
    }

    private static int checkDigit(String digits, int weight) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            sum += (digits.charAt(i) - '0') * (weight - i);
        }
        int r = sum % 11;
        return r < 2 ? 0 : 11 - r;
    }

    /**
     * Writes an export file (ISO-8859-1, {@code ;}) whose row {@code hugeRow} (0-based) gets {@code hugeChars}
     * characters in column {@code hugeColumn} instead of its value, streamed so that the test holds no copy of it.
     */
    public static void write(Path file, List<String> header, List<List<String>> rows, int hugeRow, int hugeColumn,
                             int hugeChars) {
        byte[] block = "x".repeat(1 << 16).getBytes(StandardCharsets.ISO_8859_1);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            out.write((String.join(";", header) + "\n").getBytes(StandardCharsets.ISO_8859_1));
            for (int r = 0; r < rows.size(); r++) {
                List<String> row = rows.get(r);
                for (int col = 0; col < row.size(); col++) {
                    if (col > 0) {
                        out.write(';');
                    }
                    if (r == hugeRow && col == hugeColumn) {
                        for (int left = hugeChars; left > 0; left -= block.length) {
                            out.write(block, 0, Math.min(left, block.length));
                        }
                    } else {
                        out.write(row.get(col).getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
