package dev.ponte.connectors.fiscal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test certificates made with the JDK's own {@code keytool}, found next to the running {@code java} binary. */
final class Keytool {

    static final String PASSWORD = "test-only-pass-1";
    static final String DNAME = "CN=CLINICA BELA LTDA:12345678000195, OU=Ponte test, O=ICP-Brasil, C=BR";

    private Keytool() {
    }

    static Path binary() {
        Path java = Path.of(ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the java binary of this JVM is unknown")));
        Path keytool = java.resolveSibling(java.getFileName().toString().endsWith(".exe") ? "keytool.exe"
                : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("no keytool next to " + java);
        }
        return keytool;
    }

    /** Starts {@code keytool -genkeypair} for one RSA 2048 entry; {@code extra} adds e.g. -startdate. */
    static Process start(Path store, String alias, String dname, int validityDays, String... extra)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "-genkeypair", "-keyalg", "RSA",
                "-keysize", "2048", "-sigalg", "SHA256withRSA", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", alias, "-dname", dname,
                "-validity", String.valueOf(validityDays), "-noprompt"));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /**
     * Starts a certificate valid both at {@code testNow} (a test's fixed clock) and at the real time this runs:
     * from 30 days before the earlier of the two until a year after the later. A certificate made "from now"
     * is not yet valid at a fixed clock that lies in the past.
     */
    static Process startValidAt(Path store, String alias, String dname, Instant testNow) throws IOException {
        Instant real = Instant.now();
        Instant from = (testNow.isBefore(real) ? testNow : real).minus(Duration.ofDays(30));
        Instant until = (testNow.isAfter(real) ? testNow : real).plus(Duration.ofDays(365));
        String start = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(from);
        int days = (int) Duration.between(from, until).toDays() + 1;
        return start(store, alias, dname, days, "-startdate", start);
    }

    static void await(Process... processes) throws IOException, InterruptedException {
        for (Process p : processes) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
