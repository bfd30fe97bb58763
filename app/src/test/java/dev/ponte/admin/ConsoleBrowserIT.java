package dev.ponte.admin;

import dev.ponte.hub.HubTestSupport;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.DeadLetters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console end to end in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): sign in, see the dead letters of an import, replay one, open the mapping editor,
 * introduce an error and see it at its line, fix it and see the preview; the same page in English. Screenshots of each
 * step are kept in {@code app/target/console-screenshots/}.
 */
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of(System.getProperty("ponte.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("ponte.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target/console-screenshots");

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profile;
    static PonteHub hub;
    static WebDriver browser;
    static WebDriverWait wait;
    static String key;
    static String base;
    static Path mappings;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "ConsoleBrowserIT skipped: no " + CHROMIUM + " or " + DRIVER + " (Debian: apt install chromium "
                        + "chromium-driver; .ci/run installs them)");
        // a copy of the shipped mappings: the console saves into the instance's folder
        mappings = HubTestSupport.copyOf(HubTestSupport.LEGACY_MAPPINGS, dataDir.resolve("mappings-copy"));
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.connectors.legacy.mappings",
                mappings.toString()))).start(true);
        base = "http://127.0.0.1:" + hub.settings().get("ponte.http.port");
        key = hub.database().inTransaction(c -> ApiKeys.create(c, "console-test", Role.ADMIN, "test", Instant.now()))
                .key();
        HubTestSupport.drop(dataDir.resolve("inbox/legacy"), HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"));
        await("the patients imported, their bad rows dead letters").atMost(Duration.ofMinutes(2))
                .until(() -> Files.exists(dataDir.resolve("inbox/legacy/done/pacientes.csv.report.json")));
        Files.createDirectories(SHOTS);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static void shot(String name) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    static WebElement visible(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    @Test
    void signInSeeDeadLettersReplayOneEditAMappingSeeTheErrorAtItsLineFixItAndPreview() throws Exception {
        browser.get(base + "/");
        new Select(visible("lang")).selectByValue("pt-BR");
        visible("api-key").sendKeys("ponte_wrongwrongwr_" + "A".repeat(43));
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "Chave inválida"));
        shot("1-refused-key");

        visible("api-key").sendKeys(key);
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connectors"), "legacy"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("by-rule"), "cpf-check-digit"));
        assertThat(browser.findElement(By.id("records")).getText()).contains("Patient");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flows"), "legacy / "));
        assertThat(browser.findElement(By.id("throughput")).getText()).contains("registros por minuto");
        shot("2-dashboard");

        browser.findElement(By.cssSelector("a[href='#dead-letters']")).click();
        long open = hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).size();
        wait.until(d -> d.findElements(By.cssSelector("#dl-table tr")).size() == open + 1);
        WebElement first = browser.findElements(By.cssSelector("#dl-table tr")).get(1);
        String id = first.findElement(By.cssSelector("td")).getText();
        first.findElements(By.tagName("button")).get(1).click(); // Reprocessar
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dl-result"), id + ": "));
        assertThat(browser.findElement(By.id("dl-result")).getText()).containsAnyOf("STILL_REJECTED", "STORED",
                "NOT_REPLAYABLE");
        first.findElements(By.tagName("button")).get(0).click(); // Ver
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dl-detail"), "\"violations\""));
        shot("3-dead-letters-replayed");

        browser.findElement(By.cssSelector("a[href='#mappings']")).click();
        wait.until(d -> new Select(d.findElement(By.id("map-file"))).getOptions().size() > 1);
        new Select(browser.findElement(By.id("map-file"))).selectByValue("legacy|pacientes.yaml");
        browser.findElement(By.id("map-load")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("map-status"), "Mapeamento válido"));
        String good = (String) ((JavascriptExecutor) browser).executeScript("return document.getElementById('map-text').value");
        List<String> lines = new ArrayList<>(good.lines().toList());
        int cpfLine = lines.indexOf(lines.stream().filter(l -> l.startsWith("  cpf:")).findFirst().orElseThrow()) + 1;
        lines.set(cpfLine - 1, "  cpf: {from: CPF, transforms: [digitz]}");
        edit(String.join("\n", lines));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#map-problems li[data-line='"
                + cpfLine + "']")));
        assertThat(browser.findElement(By.id("line-" + cpfLine)).getAttribute("class")).isEqualTo("bad");
        assertThat(browser.findElement(By.id("map-status")).getText()).isEqualTo("Mapeamento recusado");
        shot("4-mapping-error-at-its-line");

        edit(good);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("map-status"), "Mapeamento válido"));
        assertThat(browser.findElements(By.cssSelector("#map-problems li"))).isEmpty();
        List<String> export = Files.readAllLines(HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"),
                StandardCharsets.ISO_8859_1);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('map-sample').value = arguments[0]",
                String.join("\n", export.subList(0, 6)));
        browser.findElement(By.id("map-preview")).click();
        wait.until(d -> d.findElements(By.cssSelector("#preview-table tr")).size() == 6);
        assertThat(browser.findElement(By.id("preview-table")).getText()).contains("ok");
        shot("5-mapping-fixed-preview");
        browser.findElement(By.id("map-history")).click();
        wait.until(d -> d.findElements(By.cssSelector("#history-table tr")).size() >= 2);
        String revised = good.replace("\nversion: 1\n", "\nversion: 2\n");
        edit(revised);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("map-status"), "pacientes@2"));
        browser.findElement(By.id("map-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("map-status"), "Salvo"));
        assertThat(Files.readString(mappings.resolve("pacientes.yaml"))).isEqualTo(revised);
        assertThat(browser.findElement(By.id("map-status")).getText()).contains("legacy-clinic/pacientes@2");

        new Select(browser.findElement(By.id("lang"))).selectByValue("en");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("a[href='#dead-letters']"),
                "Dead letters"));
        browser.findElement(By.cssSelector("a[href='#messages']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("msg-table"), "Recipient"));
        browser.findElement(By.cssSelector("a[href='#invoices']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("inv-table"), "Number"));
        browser.findElement(By.cssSelector("a[href='#audit']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-table"), "dlq.show"));
        shot("6-audit-in-english");
        // the page never kept the key anywhere but this tab's session storage
        assertThat((String) ((JavascriptExecutor) browser).executeScript("return JSON.stringify(localStorage)"))
                .doesNotContain(key);
    }

    /** Types a whole new text into the mapping editor, as an input event (what the page listens to). */
    static void edit(String text) {
        ((JavascriptExecutor) browser).executeScript("const t = document.getElementById('map-text');"
                + " t.value = arguments[0]; t.dispatchEvent(new Event('input'));", text);
    }
}
