package dev.ponte.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smoke test of the release (issue 20): the tarball {@code mvn package} built is unpacked in a temporary folder
 * and run as a clinic would run it: {@code bin/ponte --version} and {@code bin/ponte demo} from another working
 * directory, and {@code bin/ponte import} of a legacy database through the legacy-jdbc connector, first without its
 * JDBC driver (a clear error), then with the driver dropped in {@code ext/}; the database password comes from a file
 * named by a {@code PONTE_…_FILE} variable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {

    private static final String VERSION = System.getProperty("ponte.dist.version");

    @TempDir
    static Path tmp;
    static Path home;
    static Path elsewhere;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("ponte.dist.archive"));
        assertThat(archive).as("the distribution built by mvn package").isRegularFile();
        Path install = Files.createDirectories(tmp.resolve("opt"));
        Result untar = run(install, Map.of(), "tar", "-xzf", archive.toString());
        assertThat(untar.code).as(untar.all()).isZero();
        home = install.resolve("ponte-" + VERSION);
        elsewhere = Files.createDirectories(tmp.resolve("clinic"));
    }

    @Test
    @Order(1)
    void theArchivesHoldTheInstallationAndNoSource() throws Exception {
        assertThat(home.resolve("bin/ponte")).isExecutable();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()))
                    .contains("ponte-app-" + VERSION + ".jar", "ponte-hub-core-" + VERSION + ".jar")
                    .anyMatch(n -> n.startsWith("h2-")).anyMatch(n -> n.startsWith("camel-main-"))
                    .noneMatch(n -> n.startsWith("hsqldb"));
        }
        try (Stream<Path> ext = Files.list(home.resolve("ext"))) {
            assertThat(ext.map(p -> p.getFileName().toString())).containsExactly("README.txt");
        }
        assertThat(home.resolve("mappings/glossary.yaml")).isRegularFile();
        assertThat(home.resolve("mappings/legacy-clinic/pacientes.yaml")).isRegularFile();
        assertThat(home.resolve("mappings/templates")).isDirectory();
        assertThat(home.resolve("mappings/pom.xml")).doesNotExist();
        assertThat(home.resolve("mappings/src")).doesNotExist();
        assertThat(home.resolve("examples/legacy-db/paciente.yaml")).isRegularFile();
        assertThat(home.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
        assertThat(home.resolve("README.md")).content().contains("## Install");
        assertThat(home.resolve("systemd/ponte.service")).content()
                .contains("ExecStart=/opt/ponte/bin/ponte run", "Restart=on-failure");
        List<String> conf = Files.readAllLines(home.resolve("conf/ponte.properties"));
        assertThat(conf).contains("#ponte.http.port=8321", "#ponte.db.url=")
                .noneMatch(l -> l.startsWith("ponte."));
        assertThat(home.resolve("pom.xml")).doesNotExist();
        assertThat(home.resolve("app")).doesNotExist();

        List<String> tarEntries = run(tmp, Map.of(), "tar", "-tzf", System.getProperty("ponte.dist.archive"))
                .out.lines().filter(l -> !l.endsWith("/")).sorted().toList();
        List<String> zipEntries;
        try (ZipFile zip = new ZipFile(System.getProperty("ponte.dist.zip"))) {
            zipEntries = zip.stream().map(java.util.zip.ZipEntry::getName).filter(l -> !l.endsWith("/")).sorted()
                    .toList();
        }
        assertThat(zipEntries).as("the zip holds what the tarball holds").isEqualTo(tarEntries);
    }

    @Test
    @Order(2)
    void versionNamesTheVersionAndTheCommitFromAnyFolder() throws Exception {
        Result r = ponte(Map.of(), "--version");

        assertThat(r.code).as(r.all()).isZero();
        assertThat(r.out).startsWith("ponte " + VERSION + " (commit ").contains("Java 17");
        String head = gitHead();
        if (head != null) {
            assertThat(r.out).contains("(commit " + head.substring(0, 12));
        } else {
            System.out.println("DistributionIT: the build is not in a git checkout; the commit is not checked");
        }
        assertThat(r.err).doesNotContain("building");
    }

    @Test
    @Order(3)
    void theDemoRunsFromAnotherWorkingDirectory() throws Exception {
        Result r = ponte(Map.of(), "demo");

        assertThat(r.code).as(r.all()).isZero();
        assertThat(r.out).contains("== Ponte demo", "== Where to look next");
        assertThat(r.all()).doesNotContain("building", "Exception in thread",
                "Standard Commons Logging discovery"); // a notice that asked nothing of the user (issue 19)
        // relative to the working directory, the examples and mappings found in the installation
        assertThat(elsewhere.resolve("data/demo")).isDirectory();
        assertThat(home.resolve("data")).doesNotExist();
    }

    @Test
    @Order(4)
    void aLegacyDatabaseIsImportedOnceItsDriverIsInExt() throws Exception {
        Path legacy = tmp.resolve("legacy/clinica");
        Class.forName("org.hsqldb.jdbc.JDBCDriver");
        try (Connection c = DriverManager.getConnection("jdbc:hsqldb:file:" + legacy, "SA", "");
             Statement s = c.createStatement()) {
            s.execute("create user \"ponte\" password 'segredo-da-clinica' admin");
            s.execute("create table paciente (id integer primary key, nome varchar(80), cpf varchar(14), "
                    + "nascimento varchar(10), celular varchar(20), alterado_em integer)");
            s.execute("insert into paciente values (1, 'Ana  Lima', '529.982.247-25', '1990-01-31', '11991214283', 1)");
            s.execute("insert into paciente values (2, 'Bruno Souza', '111.444.777-35', '1985-06-15', '11987654321', 2)");
            s.execute("insert into paciente values (3, 'Carla Dias', '123.456.789-00', '1979-02-30', '11912345678', 3)");
            s.execute("shutdown");
        }
        Path secret = Files.writeString(tmp.resolve("db-password"), "segredo-da-clinica\n");
        Path config = Files.writeString(tmp.resolve("clinic-db.properties"), String.join("\n",
                "ponte.connectors.clinic-db.type=legacy-jdbc",
                "ponte.connectors.clinic-db.url=jdbc:hsqldb:file:" + legacy + ";ifexists=true",
                "ponte.connectors.clinic-db.user=ponte",
                "ponte.connectors.clinic-db.mappings=${ponte.home}/examples/legacy-db", ""));
        Map<String, String> env = Map.of("PONTE_CONNECTORS_CLINIC_DB_PASSWORD_FILE", secret.toString());
        String[] args = {"import", "--connector", "clinic-db", "--config", config.toString(), "--data-dir", "data/db"};

        Result without = ponte(env, args);
        assertThat(without.code).as(without.all()).isEqualTo(1);
        assertThat(without.err).contains("ponte.connectors.clinic-db.url: no JDBC driver for 'hsqldb'", "ext/");
        assertThat(without.all()).doesNotContain("\tat ", "segredo-da-clinica");

        Path driver = Path.of(org.hsqldb.jdbc.JDBCDriver.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        Files.copy(driver, home.resolve("ext").resolve(driver.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Result with = ponte(env, args);
        assertThat(with.code).as(with.all()).isZero();
        // two good patients created, the third (invalid CPF and date) a dead letter
        assertThat(with.out).containsPattern("paciente\\s+3\\s+2\\s+0\\s+0\\s+0\\s+1");
        assertThat(with.all()).doesNotContain("segredo-da-clinica", "\tat ");

        Result again = ponte(env, args);
        assertThat(again.code).as(again.all()).isZero();
        assertThat(again.out).contains("clinic-db: nothing new since its last poll");

        Result status = ponte(Map.of(), "status", "--data-dir", "data/db", "--format", "json");
        assertThat(status.code).as(status.all()).isZero();
        JsonNode held = new ObjectMapper().readTree(status.out);
        assertThat(held.path("entities").path("Patient").asInt()).as(status.out).isEqualTo(2);
        assertThat(held.path("deadLetters").path("open").asInt()).as(status.out).isEqualTo(1);
    }

    @Test
    @Order(5)
    void noJavaOrAnOldOneIsSaidInWords() throws Exception {
        Path java8 = Files.createDirectories(tmp.resolve("java8/bin")).getParent();
        Files.writeString(java8.resolve("release"), "JAVA_VERSION=\"1.8.0_402\"\n");
        Path fake = Files.writeString(java8.resolve("bin/java"), "#!/bin/sh\nexit 0\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();

        Result old = ponte(Map.of("JAVA_HOME", java8.toString()), "--version");
        assertThat(old.code).as(old.all()).isEqualTo(2);
        assertThat(old.err).contains("Java 17 or newer is needed", "is Java 8", "JAVA_HOME");

        Result wrongHome = ponte(Map.of("JAVA_HOME", tmp.resolve("no-such-java").toString()), "--version");
        assertThat(wrongHome.code).as(wrongHome.all()).isEqualTo(2);
        assertThat(wrongHome.err).contains("has no bin/java");

        // a PATH with only the tools the launcher uses before it looks for Java, and no JAVA_HOME
        Path bin = Files.createDirectories(tmp.resolve("path-without-java"));
        for (String tool : new String[]{"bash", "dirname", "readlink"}) {
            Result which = run(tmp, Map.of(), "sh", "-c", "command -v " + tool);
            Files.createSymbolicLink(bin.resolve(tool), Path.of(which.out.strip()));
        }
        Map<String, String> noJava = new java.util.HashMap<>();
        noJava.put("PATH", bin.toString());
        noJava.put("JAVA_HOME", null);
        Result none = ponte(noJava, "--version");
        assertThat(none.code).as(none.all()).isEqualTo(2);
        assertThat(none.err).contains("Java 17 or newer is needed and no 'java' is on the PATH");
    }

    private static String gitHead() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        if (!Files.isDirectory(root.resolve(".git"))) {
            return null;
        }
        Result r = run(root, Map.of(), "git", "rev-parse", "HEAD");
        return r.code == 0 ? r.out.strip() : null;
    }

    private static Result ponte(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/ponte").toString());
        Collections.addAll(command, args);
        return run(elsewhere, env, command.toArray(String[]::new));
    }

    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("PONTE_") || k.startsWith("MAVEN_"));
        env.forEach((k, v) -> {
            if (v == null) {
                e.remove(k);
            } else {
                e.put(k, v);
            }
        });
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 5 minutes:\n"
                    + Files.readString(err));
        }
        return new Result(p.exitValue(), read(out), read(err));
    }

    private static String read(Path f) throws IOException {
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }

    private record Result(int code, String out, String err) {
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
