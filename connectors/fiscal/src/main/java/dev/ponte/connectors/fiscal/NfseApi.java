package dev.ponte.connectors.fiscal;

import dev.ponte.json.Json;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP calls of the national NFS-e API ("Sefin Nacional") that issuing needs, on one {@link HttpClient}
 * authenticated by mutual TLS with the clinic's A1 certificate. Thread safe. It only moves bytes: what an answer
 * means is {@link NfseReplies}' and {@link Issuance}'s job.
 *
 * <p>What each part is based on (the Sefin's Swagger 2.0 document "API NFS-e - Sefin Nacional", host
 * {@code sefin.producaorestrita.nfse.gov.br}, basePath {@code /SefinNacional}, as mirrored in open-source clients,
 * e.g. rodrigoma/spring-boot-nfse-starter {@code docs/specs/sefin-nacional.openapi.json}):
 * <ul>
 *   <li>{@code POST /nfse}, body {@code NFSePostRequest} = {@code {"dpsXmlGZipB64": "..."}}: the signed DPS,
 *       gzip-compressed, in base64 ("GZip com representação base64binary"); JSON in, JSON out;</li>
 *   <li>{@code GET /dps/{id}}: the access key of the NFS-e generated from a DPS Id (full 45-character Id,
 *       {@code DPS} included), 200 {@code DpsGetResponse} or 404 when none was generated;</li>
 *   <li>{@code GET /nfse/{chaveAcesso}}: the NFS-e (50-character key), 200 {@code NFSeGetResponseSucesso} with
 *       {@code nfseXmlGZipB64};</li>
 *   <li>base URLs: {@value #HOMOLOGATION} ("produção restrita", the test environment) and {@value #PRODUCTION}.
 *       The production one is the official API page's; only the restricted production's was seen in a captured
 *       spec, so the production path is assumed to have the same {@code /SefinNacional} segment;</li>
 *   <li>authentication: the spec's description asks for TLS with mutual authentication and an ICP-Brasil A1 or A3
 *       certificate with "client authentication"; no token or header.</li>
 * </ul>
 * Nothing here logs: no body, no certificate, no password.
 */
public final class NfseApi {

    /** Base URL of the production environment. */
    public static final String PRODUCTION = "https://sefin.nfse.gov.br/SefinNacional";
    /** Base URL of the restricted production ("produção restrita"), the national test environment. */
    public static final String HOMOLOGATION = "https://sefin.producaorestrita.nfse.gov.br/SefinNacional";
    /** Default time an answer is awaited: the Sefin answers {@code POST /nfse} synchronously. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** JSON field of {@code NFSePostRequest}. */
    static final String DPS_FIELD = "dpsXmlGZipB64";
    /** JSON field of the event request ({@code POST /nfse/{chave}/eventos}). */
    static final String EVENT_FIELD = "pedidoRegistroEventoXmlGZipB64";

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;

    /**
     * @param certificate the clinic's A1 certificate, presented in the TLS handshake
     * @param baseUrl     {@link #PRODUCTION}, {@link #HOMOLOGATION}, or a stand-in's URL (tests, a proxy)
     * @param timeout     how long one call waits for its answer (and for the connection)
     */
    public NfseApi(A1Certificate certificate, URI baseUrl, Duration timeout) {
        this(certificate, baseUrl, timeout, null);
    }

    /**
     * As the public constructor, judging the server by {@code trust} instead of the JDK's default trust store (a
     * test's self-signed stand-in).
     */
    NfseApi(A1Certificate certificate, URI baseUrl, Duration timeout, KeyStore trust) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive, was " + timeout);
        }
        String scheme = String.valueOf(baseUrl.getScheme()).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("baseUrl: must be an http(s) URL, was " + baseUrl);
        }
        this.base = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        this.http = HttpClient.newBuilder().sslContext(sslContext(certificate, trust)).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The API of an environment: {@link #HOMOLOGATION} unless {@code environment} is production. */
    public static NfseApi of(A1Certificate certificate, Dps.Environment environment, Duration timeout) {
        return new NfseApi(certificate, URI.create(baseUrl(environment)), timeout);
    }

    /** The base URL of an environment; {@code null} means homologation (the safe default). */
    public static String baseUrl(Dps.Environment environment) {
        return environment == Dps.Environment.PRODUCTION ? PRODUCTION : HOMOLOGATION;
    }

    /** Host (and port) the calls go to, for messages. */
    public String host() {
        return base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
    }

    /**
     * {@code POST /nfse} with the signed DPS, gzip + base64 in {@code {"dpsXmlGZipB64": ...}}. The XML is sent as
     * given (UTF-8), never re-serialized: that would break its signature.
     *
     * @throws IOException          before any status: refused, reset, timed out ({@code HttpTimeoutException})
     * @throws InterruptedException the hub is stopping
     */
    public Reply submit(String signedDpsXml) throws IOException, InterruptedException {
        Objects.requireNonNull(signedDpsXml, "signedDpsXml");
        String body = submitBody(signedDpsXml);
        HttpRequest request = HttpRequest.newBuilder(uri("/nfse")).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return send(request);
    }

    /** The JSON body of {@code POST /nfse} for a signed DPS, as {@link #submit} sends it (and sandbox mode records it). */
    public static String submitBody(String signedDpsXml) {
        try {
            return Json.MAPPER.writeValueAsString(Map.of(DPS_FIELD, gzipBase64(signedDpsXml)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the POST /nfse body", e);
        }
    }

    /**
     * {@code POST /nfse/{chaveAcesso}/eventos} with a signed event request (the cancellation), gzip + base64 in
     * {@code {"pedidoRegistroEventoXmlGZipB64": ...}}.
     *
     * @throws IOException          before any status
     * @throws InterruptedException the hub is stopping
     */
    public Reply event(String accessKey, String signedEventXml) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(eventsPath(accessKey))).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(eventBody(signedEventXml), StandardCharsets.UTF_8)).build();
        return send(request);
    }

    /** {@code GET /nfse/{chaveAcesso}/eventos/{tipoEvento}/{nPedRegEvento}}: 200 when that event is registered. */
    public Reply registeredEvent(String accessKey, String eventType, int number) throws IOException,
            InterruptedException {
        return get(eventsPath(accessKey) + "/" + pathSegment(eventType, "event type") + "/" + number);
    }

    /** The path of a document's events, {@code /nfse/{chaveAcesso}/eventos}. */
    static String eventsPath(String accessKey) {
        return "/nfse/" + pathSegment(accessKey, "access key") + "/eventos";
    }

    /** The JSON body of an event request, as {@link #event} sends it (and sandbox mode records it). */
    public static String eventBody(String signedEventXml) {
        try {
            return Json.MAPPER.writeValueAsString(Map.of(EVENT_FIELD, gzipBase64(signedEventXml)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the event request body", e);
        }
    }

    /** {@code GET /dps/{id}}: 200 with the access key of the NFS-e generated from that DPS, or 404. */
    public Reply dps(String dpsId) throws IOException, InterruptedException {
        return get("/dps/" + pathSegment(dpsId, "DPS Id"));
    }

    /** {@code GET /nfse/{chaveAcesso}}: 200 with the NFS-e in {@code nfseXmlGZipB64}. */
    public Reply nfse(String accessKey) throws IOException, InterruptedException {
        return get("/nfse/" + pathSegment(accessKey, "access key"));
    }

    private Reply get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        return send(request);
    }

    private Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    /** Ids and keys are letters and digits; anything else would change the path. */
    private static String pathSegment(String value, String what) {
        if (value == null || value.isEmpty() || !value.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
            throw new IllegalArgumentException(what + ": must be letters and digits only");
        }
        return value;
    }

    /** gzip, then base64 (standard alphabet, with padding). */
    static String gzipBase64(String xml) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * A TLS context that presents the A1 certificate when the server asks for a client certificate; the JDK's
     * default trust store judges the server (the Sefin's certificate is issued by a public CA).
     */
    static SSLContext sslContext(A1Certificate certificate) {
        return sslContext(certificate, null);
    }

    /** The TLS context presenting the A1; {@code trust} judges the server, null for the JDK's trust store. */
    static SSLContext sslContext(A1Certificate certificate, KeyStore trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            javax.net.ssl.TrustManager[] trustManagers = null;
            if (trust != null) {
                javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                trustManagers = tmf.getTrustManagers();
            }
            context.init(new KeyManager[] {keyManager(certificate)}, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context for the A1 certificate ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * The key manager over an in-memory PKCS#12 store holding only the A1 key and certificate, protected by a random
     * one-time password (the file's password is not kept by {@link A1Certificate}).
     */
    static X509KeyManager keyManager(A1Certificate certificate) throws GeneralSecurityException {
        char[] password = new char[32];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(certificate.alias(), certificate.privateKey(), password,
                    new Certificate[] {certificate.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            for (KeyManager m : factory.getKeyManagers()) {
                if (m instanceof X509KeyManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's KeyManagerFactory gave no X509KeyManager");
        } catch (IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store", e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /**
     * One answer of the API, as received.
     *
     * @param status     the HTTP status
     * @param body       the body (JSON when the Sefin answered; may hold the NFS-e: never log it)
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     */
    public record Reply(int status, String body, String retryAfter) {

        @Override
        public String toString() {
            return "Reply[HTTP " + status + ", " + (body == null ? 0 : body.length()) + " characters]";
        }
    }
}
