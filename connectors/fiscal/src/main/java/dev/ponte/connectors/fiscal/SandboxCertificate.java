package dev.ponte.connectors.fiscal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Ponte sandbox certificate: a self-signed RSA key pair made at run time with the JDK's {@code keytool} into
 * {@code <data-dir>/fiscal/sandbox-a1.p12}, for previews and sandbox-mode instances when the clinic configured no
 * A1 certificate. It is not
 * ICP-Brasil: no tax authority accepts what it signs. Its password is fixed and no secret (the file protects
 * nothing); it is never in the repository. Reused while it is valid and carries the configured CNPJ.
 */
public final class SandboxCertificate {

    public static final String FILE = "fiscal/sandbox-a1.p12";
    public static final String PASSWORD = "ponte-sandbox-not-secret";
    static final String ALIAS = "ponte-sandbox";
    static final int VALIDITY_DAYS = 365;

    /** There is no {@code keytool} to make the certificate with. */
    public static final class NoKeytool extends Exception {
        NoKeytool(String message) {
            super(message);
        }
    }

    /** The certificate and whether it was made just now. */
    public record Obtained(A1Certificate certificate, Path file, boolean created) {
    }

    private SandboxCertificate() {
    }

    /**
     * The sandbox certificate of {@code cnpj} in {@code dataDir}: the one there while valid, else a new one.
     *
     * @throws NoKeytool there is no keytool (a JRE without it)
     * @throws IOException keytool failed, or the file cannot be written
     */
    public static Obtained obtain(Path dataDir, String cnpj) throws NoKeytool, IOException, InterruptedException {
        Path file = dataDir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            Optional<A1Certificate> existing = reusable(file, cnpj);
            if (existing.isPresent()) {
                return new Obtained(existing.get(), file, false);
            }
        }
        Path keytool = keytool();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        List<String> cmd = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-keyalg", "RSA",
                "-keysize", "2048", "-sigalg", "SHA256withRSA", "-storetype", "PKCS12", "-keystore", tmp.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", ALIAS,
                "-dname", "CN=PONTE SANDBOX NAO VALIDO:" + cnpj + ", OU=Ponte sandbox not valid at the tax authority,"
                        + " O=Ponte, C=BR",
                // valid from two days before now: a clock a little behind, or the demo's day that began earlier
                "-startdate", "-2d", "-validity", String.valueOf(VALIDITY_DAYS + 2), "-noprompt"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Files.deleteIfExists(tmp);
            throw new IOException("keytool did not finish in 60 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            Files.deleteIfExists(tmp);
            throw new IOException("keytool failed to make the sandbox certificate: " + output);
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the folder's permissions
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Obtained(A1Certificate.load("fiscal-sandbox", file, PASSWORD.toCharArray(), ALIAS), file, true);
    }

    private static Optional<A1Certificate> reusable(Path file, String cnpj) {
        try {
            A1Certificate cert = A1Certificate.load("fiscal-sandbox", file, PASSWORD.toCharArray(), ALIAS);
            boolean valid = cert.expiry(Instant.now()).state() == A1Certificate.Expiry.State.VALID;
            return valid && cert.cnpj().filter(cnpj::equals).isPresent() ? Optional.of(cert) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // damaged or foreign: made again
        }
    }

    /** The JDK's keytool: in {@code java.home}/bin, else next to the running {@code java}. */
    public static Path keytool() throws NoKeytool {
        String name = System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool";
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home", ".")).resolve("bin").resolve(name));
        ProcessHandle.current().info().command().map(Path::of).map(j -> j.resolveSibling(name))
                .ifPresent(candidates::add);
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                return c;
            }
        }
        throw new NoKeytool("no keytool in " + candidates + " to make the Ponte sandbox certificate with; set "
                + "the fiscal connector's certificate (and certificate-password) to the clinic's A1 certificate, "
                + "or run Ponte on a full JDK");
    }
}
