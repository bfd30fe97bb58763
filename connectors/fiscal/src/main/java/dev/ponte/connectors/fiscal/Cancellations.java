package dev.ponte.connectors.fiscal;

import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancels an authorized NFS-e once: the signed event request goes to {@code POST /nfse/{chave}/eventos}; an answer
 * that is lost is asked for ({@code GET /nfse/{chave}/eventos/101101/1}) before the request is sent again, as
 * {@link Issuance} does for documents. Thread safe.
 */
final class Cancellations {

    private static final String API = "the national NFS-e API (Sefin Nacional)";

    /** What cancelling gave. */
    sealed interface Outcome {
        /** The authority registered the cancellation; {@code recovered}: learned by the query, not the POST. */
        record Cancelled(boolean recovered) implements Outcome {
        }

        /** The authority refused it: its first error. */
        record Refused(String code, String message) implements Outcome {
        }
    }

    private final NfseApi api;
    private final Set<String> queryFirst = ConcurrentHashMap.newKeySet();

    Cancellations(NfseApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    Outcome cancel(String accessKey, String signedXml) throws RetriableDeliveryException,
            PermanentDeliveryException, InterruptedException {
        if (queryFirst.contains(accessKey)) {
            if (registered(accessKey, "an earlier attempt could not learn whether the authority received it")) {
                queryFirst.remove(accessKey);
                return new Outcome.Cancelled(true);
            }
            queryFirst.remove(accessKey);
        }
        NfseApi.Reply reply;
        try {
            reply = api.event(accessKey, signedXml);
        } catch (IOException lost) {
            if (registered(accessKey, "the cancellation request got no answer (" + lost.getClass().getSimpleName()
                    + ")")) {
                return new Outcome.Cancelled(true);
            }
            throw new RetriableDeliveryException("the cancellation request of NFS-e " + accessKey + " to " + API
                    + " got no answer, and the authority has not registered it (404): it is sent once more on the "
                    + "next attempt", lost);
        }
        int status = reply.status();
        if (status >= 200 && status < 300) {
            return new Outcome.Cancelled(false);
        }
        List<NfseReplies.Message> errors = NfseReplies.errors(reply.body());
        if (status == 400 && !errors.isEmpty()) {
            // a request resent after a restart finds its own event registered: that is a cancellation, not a refusal
            if (registered(accessKey, "the authority refused the cancellation request (" + errors.get(0).code()
                    + ")")) {
                return new Outcome.Cancelled(true);
            }
            return new Outcome.Refused(errors.get(0).code(), errors.get(0).description());
        }
        if (dev.ponte.spi.HttpStatusPolicy.isRetriable(status)) {
            throw new RetriableDeliveryException("the cancellation request of NFS-e " + accessKey + " to " + API
                    + " failed for now (HTTP " + status + "); retried with backoff");
        }
        throw new PermanentDeliveryException(API + " answered HTTP " + status + " to the cancellation request of "
                + "NFS-e " + accessKey + (status == 403 ? ": the TLS client certificate was refused, install the "
                + "issuer's valid A1 certificate" : "") + "; then replay the dead letter");
    }

    /**
     * Whether the authority has the cancellation of {@code accessKey}.
     *
     * @throws RetriableDeliveryException the query could not be answered: the next attempt asks again first
     */
    private boolean registered(String accessKey, String why) throws RetriableDeliveryException,
            InterruptedException {
        NfseApi.Reply reply;
        try {
            reply = api.registeredEvent(accessKey, Cancellation.EVENT, 1);
        } catch (IOException e) {
            queryFirst.add(accessKey);
            throw new RetriableDeliveryException(why + " for NFS-e " + accessKey + ", and the query of its "
                    + "cancellation failed too (" + e.getClass().getSimpleName() + "); the next attempt asks again "
                    + "before sending it", e);
        }
        if (reply.status() == 200) {
            return true;
        }
        if (reply.status() == 404) {
            return false;
        }
        queryFirst.add(accessKey);
        throw new RetriableDeliveryException(why + " for NFS-e " + accessKey + ", and the query of its cancellation "
                + "gave HTTP " + reply.status() + "; the next attempt asks again before sending it");
    }
}
