package dev.ponte.connectors.fiscal;

import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.xml.HostileXmlException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues one NFS-e per DPS, once, however often the hub redelivers the command. The DPS Id (municipality, issuer,
 * series, number) is what the Sefin keys on; the rules:
 * <ol>
 *   <li>{@code POST /nfse}. 201 → {@link IssueOutcome.Authorized} ({@link IssueOutcome.Route#SUBMITTED}).</li>
 *   <li>No answer (timeout, reset, any I/O error), or a 2xx that cannot be read: the DPS may have been received.
 *       <strong>Before any resend</strong> the status query {@code GET /dps/{id}} is asked: 200 →
 *       {@code Authorized} from the query ({@link IssueOutcome.Route#RECOVERED_AFTER_LOST_ANSWER}), never a second
 *       POST; 404 → a {@link RetriableDeliveryException} saying so, and the one resend happens on the hub's next
 *       attempt; the query itself fails → retriable, and the next attempt asks the query again before it posts
 *       ({@link IssueOutcome.Route#FOUND_BEFORE_RESEND} if it then finds the note).</li>
 *   <li>400 whose first error is {@value #ALREADY_RECEIVED} (the Sefin's "Conjunto de Série, Número, Código do
 *       Município Emissor e CNPJ/CPF informado nesta DPS já existe em uma NFS-e gerada a partir de uma DPS enviada
 *       anteriormente", as quoted by open-source clients that handle it the same way) → the status query, then
 *       {@code Authorized} of the existing document ({@link IssueOutcome.Route#ALREADY_RECEIVED}). So a resend that
 *       crosses a slow first POST still ends with the one NFS-e.</li>
 *   <li>400 with other errors → {@link IssueOutcome.Rejected} with the first code and description.</li>
 *   <li>408, 425, 429, 5xx → retriable ({@code Retry-After} kept). A 500 "Falha durante o processamento do DPS"
 *       may or may not have issued the note; the retry's POST then ends in rule 3 or 1.</li>
 *   <li>403 (the Swagger's "certificado digital da transmissão inválido") and other statuses → permanent.</li>
 *   <li>An NFS-e XML the hub refuses to parse (DOCTYPE/XXE, not gzip, too large) → permanent: the note may exist
 *       at the authority, so the message gives its access key to check it in the national portal.</li>
 * </ol>
 * The memory of rule 2 (which DPS Ids must be queried before a resend) is in this object only: after a restart the
 * first attempt posts, and rule 3 still keeps it to one note. Messages name the DPS Id, the API and what happens or
 * what to do; never the XML, the certificate, or the authority's {@code complemento}. Thread safe.
 */
public final class Issuance {

    /** The Sefin's code for a DPS whose Id already generated an NFS-e. */
    public static final String ALREADY_RECEIVED = "E0014";

    private static final String API = "the national NFS-e API (Sefin Nacional)";

    private final NfseApi api;
    private final Clock clock;
    private final Set<String> queryFirst = ConcurrentHashMap.newKeySet();

    public Issuance(NfseApi api) {
        this(api, Clock.systemUTC());
    }

    Issuance(NfseApi api, Clock clock) {
        this.api = Objects.requireNonNull(api, "api");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Issues the NFS-e of one signed DPS, or finds the one already issued for its Id.
     *
     * @param id        the DPS Id (the {@code infDPS/@Id} of {@code signedXml})
     * @param signedXml the signed DPS, sent byte for byte as given
     * @return {@link IssueOutcome.Authorized} or {@link IssueOutcome.Rejected}
     * @throws RetriableDeliveryException the outcome is not known yet (I/O, 5xx, 429, DPS not received after a lost
     *                                    answer): the hub retries, and this class makes the retry safe
     * @throws PermanentDeliveryException the certificate was refused, an unexpected status, or a hostile NFS-e XML
     * @throws InterruptedException       the hub is stopping
     */
    public IssueOutcome issue(DpsId id, String signedXml) throws RetriableDeliveryException,
            PermanentDeliveryException, InterruptedException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(signedXml, "signedXml");
        String dps = id.value();
        if (queryFirst.contains(dps)) {
            IssueOutcome.Authorized found = lookUp(dps, IssueOutcome.Route.FOUND_BEFORE_RESEND,
                    "an earlier attempt could not learn whether the authority received it");
            queryFirst.remove(dps);
            if (found != null) {
                return found;
            }
        }
        NfseApi.Reply reply;
        try {
            reply = api.submit(signedXml);
        } catch (IOException lost) {
            return afterLostAnswer(dps, lost.getClass().getSimpleName()
                    + (lost.getMessage() == null ? "" : ": " + lost.getMessage()), lost);
        }
        int status = reply.status();
        if (status >= 200 && status < 300) {
            NfseReplies.Issued issued = NfseReplies.issued(reply.body());
            if (issued == null || issued.accessKey() == null || issued.nfseGzipB64() == null) {
                return afterLostAnswer(dps, "HTTP " + status + " without chaveAcesso and nfseXmlGZipB64", null);
            }
            return authorized(dps, issued.accessKey(), issued.processedAt(), issued.nfseGzipB64(),
                    IssueOutcome.Route.SUBMITTED);
        }
        List<NfseReplies.Message> errors = NfseReplies.errors(reply.body());
        if (status == 400 && !errors.isEmpty()) {
            NfseReplies.Message first = errors.get(0);
            if (errors.stream().anyMatch(m -> ALREADY_RECEIVED.equalsIgnoreCase(m.code()))) {
                IssueOutcome.Authorized existing = lookUp(dps, IssueOutcome.Route.ALREADY_RECEIVED,
                        "the authority answered " + ALREADY_RECEIVED + " (DPS already received)");
                if (existing != null) {
                    return existing;
                }
                throw new RetriableDeliveryException(API + " answered " + ALREADY_RECEIVED + " for DPS " + dps
                        + " (an NFS-e exists for it) but GET /dps/" + dps + " did not find it yet; retried with "
                        + "backoff, and nothing is posted twice");
            }
            return new IssueOutcome.Rejected(dps, first.code(), first.description(), errors.size() - 1);
        }
        Exception failure = failure(dps, reply, errors);
        if (failure instanceof RetriableDeliveryException retriable) {
            throw retriable;
        }
        throw (PermanentDeliveryException) failure;
    }

    /** Rule 2: the POST's answer was lost; ask before any resend. */
    private IssueOutcome afterLostAnswer(String dps, String what, Throwable cause) throws RetriableDeliveryException,
            PermanentDeliveryException, InterruptedException {
        IssueOutcome.Authorized found = lookUp(dps, IssueOutcome.Route.RECOVERED_AFTER_LOST_ANSWER,
                "POST /nfse got no usable answer (" + what + ")");
        if (found != null) {
            return found;
        }
        throw new RetriableDeliveryException("POST /nfse of DPS " + dps + " to " + API + " got no usable answer ("
                + what + "); GET /dps/" + dps + " says the authority has no NFS-e for it (404), so the DPS is sent "
                + "once more on the next attempt", cause);
    }

    /**
     * The status query and, when it finds a key, the NFS-e itself.
     *
     * @return the NFS-e, or null when the query answers 404
     * @throws RetriableDeliveryException the query could not be answered: the next attempt queries again first
     */
    private IssueOutcome.Authorized lookUp(String dps, IssueOutcome.Route route, String why)
            throws RetriableDeliveryException, PermanentDeliveryException, InterruptedException {
        NfseApi.Reply reply;
        try {
            reply = api.dps(dps);
        } catch (IOException e) {
            queryFirst.add(dps);
            throw new RetriableDeliveryException(why + " for DPS " + dps + ", and the status query GET /dps/" + dps
                    + " to " + API + " failed too (" + e.getClass().getSimpleName() + "); the next attempt asks "
                    + "again before sending the DPS", e);
        }
        if (reply.status() == 404) {
            return null;
        }
        String key = reply.status() == 200 ? NfseReplies.accessKey(reply.body()) : null;
        if (key == null) {
            queryFirst.add(dps);
            throw new RetriableDeliveryException(why + " for DPS " + dps + ", and the status query GET /dps/" + dps
                    + " to " + API + " gave HTTP " + reply.status() + (reply.status() == 200 ? " without chaveAcesso"
                    : "") + "; the next attempt asks again before sending the DPS");
        }
        NfseApi.Reply nfse;
        try {
            nfse = api.nfse(key);
        } catch (IOException e) {
            queryFirst.add(dps);
            throw new RetriableDeliveryException("DPS " + dps + " already has the NFS-e " + key + ", but GET /nfse/"
                    + key + " to " + API + " failed (" + e.getClass().getSimpleName() + "); retried, and the DPS "
                    + "is not sent again", e);
        }
        NfseReplies.Issued issued = nfse.status() == 200 ? NfseReplies.issued(nfse.body()) : null;
        if (issued == null || issued.nfseGzipB64() == null) {
            queryFirst.add(dps);
            throw new RetriableDeliveryException("DPS " + dps + " already has the NFS-e " + key + ", but GET /nfse/"
                    + key + " to " + API + " gave HTTP " + nfse.status() + " without the document; retried, and the "
                    + "DPS is not sent again");
        }
        return authorized(dps, key, null, issued.nfseGzipB64(), route);
    }

    private IssueOutcome.Authorized authorized(String dps, String key, OffsetDateTime answeredAt, String gzipB64,
                                               IssueOutcome.Route route) throws PermanentDeliveryException {
        NfseDocument doc;
        try {
            doc = NfseDocument.decode(gzipB64, "the NFS-e " + key + " of DPS " + dps + " returned by " + API);
        } catch (HostileXmlException e) {
            throw new PermanentDeliveryException(e.getMessage() + ". The NFS-e was probably issued: check access "
                    + "key " + key + " in the national portal (nfse.gov.br) before issuing anything for this charge",
                    e);
        }
        OffsetDateTime processedAt = answeredAt != null ? answeredAt : doc.processedAt().orElse(null);
        return new IssueOutcome.Authorized(dps, key, doc.number(), doc.verificationCode(), processedAt, doc.xml(),
                route);
    }

    private Exception failure(String dps, NfseApi.Reply reply, List<NfseReplies.Message> errors) {
        int status = reply.status();
        String codes = errors.isEmpty() ? "" : ", " + errors.get(0).code();
        if (status == 403) {
            return new PermanentDeliveryException(API + " refused the TLS client certificate for DPS " + dps
                    + " (HTTP 403" + codes + "): install the clinic's valid ICP-Brasil A1 certificate (e-CNPJ with "
                    + "client authentication) of the issuer, then replay the dead letter");
        }
        if (HttpStatusPolicy.isRetriable(status)) {
            Duration wait = HttpStatusPolicy.retryAfter(reply.retryAfter(), clock);
            return new RetriableDeliveryException("POST /nfse of DPS " + dps + " to " + API + " failed for now (HTTP "
                    + status + codes + (wait == null ? "" : ", Retry-After " + wait.toSeconds() + " s")
                    + "); retried with backoff, and a retry never issues a second NFS-e", null, wait);
        }
        return new PermanentDeliveryException(API + " answered HTTP " + status + codes + " to POST /nfse of DPS "
                + dps + "; no retry can fix it: check " + api.host() + " is the Sefin Nacional's address, then "
                + "replay the dead letter");
    }
}
