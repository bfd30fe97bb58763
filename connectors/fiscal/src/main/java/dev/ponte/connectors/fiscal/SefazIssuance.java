package dev.ponte.connectors.fiscal;

import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.xml.HostileXmlException;

import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues one NF-e once through SEFAZ, with the rules of {@link Issuance}: an authorization whose answer is lost
 * (timeout, reset, an unreadable answer) is never simply sent again — the next step is the status query of its
 * access key ({@code NFeConsultaProtocolo4}): authorized → that protocol; 217 (not in the base) → sent once more.
 * A duplicate (204, 539) is asked for too. Temporary states of the service (108, 109, 656, 5xx) are retried.
 * Thread safe.
 */
final class SefazIssuance {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SefazIssuance.class);

    /** {@code cStat} of a processed batch. */
    static final String PROCESSED = "104";
    /** {@code cStat} of a query for a key the base does not hold. */
    static final String NOT_FOUND = "217";
    private static final Set<String> TEMPORARY = Set.of("108", "109", "656", "999");
    /** Batch received or in processing: the outcome comes later, asked for by the status query. */
    private static final Set<String> IN_PROCESSING = Set.of("103", "105");
    private static final Set<String> DUPLICATE = Set.of("204", "539");

    /** How an NF-e's authorization went. */
    sealed interface Outcome {
        /**
         * Authorized.
         *
         * @param protocol  the protocol ({@code nProt}, {@code dhRecbto}, and the {@code protNFe} XML)
         * @param recovered learned by the status query, not by this call's authorization
         */
        record Authorized(SefazReplies.Protocol protocol, boolean recovered) implements Outcome {
        }

        /** Refused: the first code and its text ({@code cStat}, {@code xMotivo}). */
        record Rejected(String code, String message) implements Outcome {
        }
    }

    private final SefazApi api;
    private final Dps.Environment environment;
    private final Set<String> queryFirst = ConcurrentHashMap.newKeySet();

    SefazIssuance(SefazApi api, Dps.Environment environment) {
        this.api = Objects.requireNonNull(api, "api");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    Outcome issue(AccessKey key, String signedXml) throws RetriableDeliveryException, PermanentDeliveryException,
            InterruptedException {
        String k = key.value();
        if (queryFirst.contains(k)) {
            SefazReplies.Protocol found = query(k, "an earlier attempt could not learn whether SEFAZ received it");
            queryFirst.remove(k);
            if (found != null) {
                return new Outcome.Authorized(found, true);
            }
        }
        SefazApi.Reply reply;
        try {
            reply = api.authorize(batchId(key), signedXml);
        } catch (IOException lost) {
            return afterLostAnswer(k, lost.getClass().getSimpleName(), lost);
        }
        if (reply.status() == 403) {
            throw new PermanentDeliveryException("SEFAZ (" + api.host() + ") refused the TLS client certificate for "
                    + "NF-e " + k + " (HTTP 403): install the issuer's valid ICP-Brasil A1, then replay");
        }
        if (HttpStatusPolicy.isRetriable(reply.status())) {
            throw new RetriableDeliveryException("SEFAZ (" + api.host() + ") failed for now (HTTP " + reply.status()
                    + ") for NF-e " + k + "; retried with backoff, and a retry never issues it twice");
        }
        SefazReplies.Answer answer = answer(reply, "retEnviNFe", k);
        if (answer == null) {
            return afterLostAnswer(k, "HTTP " + reply.status() + " without a retEnviNFe", null);
        }
        if (!PROCESSED.equals(answer.code()) || answer.protocol() == null) {
            if (IN_PROCESSING.contains(answer.code())) {
                queryFirst.add(k);
                throw new RetriableDeliveryException("SEFAZ answered " + answer.code() + " - " + answer.message()
                        + " for NF-e " + k + " (received, not yet processed); the next attempt asks for it before "
                        + "sending anything");
            }
            if (DUPLICATE.contains(answer.code())) {
                SefazReplies.Protocol found = query(k, "SEFAZ answered " + answer.code() + " (duplicate)");
                if (found != null) {
                    return new Outcome.Authorized(found, true);
                }
                queryFirst.add(k);
                throw new RetriableDeliveryException("SEFAZ answered " + answer.code() + " (duplicate) for NF-e " + k
                        + " but the status query does not show it authorized yet; retried, nothing is sent twice");
            }
            if (TEMPORARY.contains(answer.code())) {
                throw new RetriableDeliveryException("SEFAZ answered " + answer.code() + " - " + answer.message()
                        + " for NF-e " + k + "; retried with backoff");
            }
            return new Outcome.Rejected(answer.code(), answer.message());
        }
        SefazReplies.Protocol p = answer.protocol();
        if (p.accessKey() != null && !p.accessKey().equals(k)) {
            throw new PermanentDeliveryException("SEFAZ (" + api.host() + ") answered the authorization of NF-e " + k
                    + " with the protocol of another key; check the key in the state's portal before issuing anything "
                    + "for this charge");
        }
        if (p.authorized()) {
            return new Outcome.Authorized(p, false);
        }
        if (p.duplicate()) {
            SefazReplies.Protocol found = query(k, "SEFAZ answered " + p.code() + " (duplicate)");
            if (found != null) {
                return new Outcome.Authorized(found, true);
            }
            throw new RetriableDeliveryException("SEFAZ answered " + p.code() + " (duplicate) for NF-e " + k
                    + " but the status query does not show it authorized yet; retried, nothing is sent twice");
        }
        return new Outcome.Rejected(p.code(), p.message());
    }

    private Outcome afterLostAnswer(String key, String what, Throwable cause) throws RetriableDeliveryException,
            PermanentDeliveryException, InterruptedException {
        SefazReplies.Protocol found = query(key, "the authorization got no usable answer (" + what + ")");
        if (found != null) {
            return new Outcome.Authorized(found, true);
        }
        throw new RetriableDeliveryException("the authorization of NF-e " + key + " at SEFAZ (" + api.host()
                + ") got no usable answer (" + what + "); the status query says SEFAZ has no such NF-e (217), so it "
                + "is sent once more on the next attempt", cause);
    }

    /**
     * The status query.
     *
     * @return the authorized protocol, or null when SEFAZ does not hold the key (217)
     * @throws RetriableDeliveryException the query could not be answered: the next attempt asks again first
     * @throws PermanentDeliveryException the key is held but not authorized (cancelled, denied)
     */
    private SefazReplies.Protocol query(String key, String why) throws RetriableDeliveryException,
            PermanentDeliveryException, InterruptedException {
        SefazApi.Reply reply;
        try {
            reply = api.query(key, environment);
        } catch (IOException e) {
            queryFirst.add(key);
            throw new RetriableDeliveryException(why + " for NF-e " + key + ", and the status query failed too ("
                    + e.getClass().getSimpleName() + "); the next attempt asks again before sending it", e);
        }
        SefazReplies.Answer answer = reply.status() == 200 ? answer(reply, "retConsSitNFe", key) : null;
        if (answer == null) {
            queryFirst.add(key);
            throw new RetriableDeliveryException(why + " for NF-e " + key + ", and the status query gave HTTP "
                    + reply.status() + " without an answer; the next attempt asks again before sending it");
        }
        if (NOT_FOUND.equals(answer.code())) {
            return null;
        }
        if (answer.protocol() != null && answer.protocol().authorized()
                && ("100".equals(answer.code()) || "150".equals(answer.code()))) {
            return answer.protocol(); // a cancelled NF-e (101) keeps its authorization protocol: not authorized now
        }
        if (TEMPORARY.contains(answer.code())) {
            queryFirst.add(key);
            throw new RetriableDeliveryException(why + " for NF-e " + key + ", and the status query answered "
                    + answer.code() + " - " + answer.message() + "; the next attempt asks again");
        }
        throw new PermanentDeliveryException("NF-e " + key + ": " + why + ", and the status query answers "
                + answer.code() + " - " + answer.message() + "; check the key in the state's portal before "
                + "issuing anything for this charge");
    }

    /**
     * The answer, or null when the body is no readable answer: a cut-off body, an HTML maintenance page, or a
     * hostile document (a DTD, an entity: refused unread). Null is handled as a lost answer: the key is asked for
     * before anything is sent again, never taken as a rejection.
     */
    private static SefazReplies.Answer answer(SefazApi.Reply reply, String root, String key) {
        try {
            return SefazReplies.read(reply.body(), root);
        } catch (HostileXmlException e) {
            LOG.warn("the SEFAZ answer about NF-e {} was refused unread ({}); treated as no answer", key,
                    e.getMessage());
            return null;
        }
    }

    /** {@code idLote}: the NF-e's number and series, so a retry sends the same batch. */
    static String batchId(AccessKey key) {
        return Long.toString(Long.parseLong(key.serie()) * 1_000_000_000L + Long.parseLong(key.nNF()));
    }
}
