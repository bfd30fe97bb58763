package dev.ponte.connectors.fiscal;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/** What {@link Issuance#issue} gave for one DPS: an NFS-e, or the authority's refusal. */
public sealed interface IssueOutcome {

    /** How the NFS-e of an {@link Authorized} outcome was learned. */
    enum Route {
        /** The answer to this call's {@code POST /nfse}. */
        SUBMITTED,
        /**
         * The {@code POST /nfse} got no answer (timeout, lost connection) or one that could not be read; the
         * status query {@code GET /dps/{id}} then found the NFS-e: it was not posted again.
         */
        RECOVERED_AFTER_LOST_ANSWER,
        /**
         * The Sefin refused the DPS as already received ({@value Issuance#ALREADY_RECEIVED}): an NFS-e exists for
         * its Id, found by the status query.
         */
        ALREADY_RECEIVED,
        /** An earlier call could not learn whether the DPS arrived; this call's status query found the NFS-e. */
        FOUND_BEFORE_RESEND
    }

    /**
     * An NFS-e exists for the DPS.
     *
     * @param dpsId            the DPS Id
     * @param accessKey        the 50-character {@code chaveAcesso}
     * @param nfseNumber       {@code nNFSe}, when the document has it
     * @param verificationCode empty for a national NFS-e (see {@link NfseDocument})
     * @param processedAt      {@code dataHoraProcessamento} of the POST answer, else the document's {@code dhProc};
     *                         null when neither was readable
     * @param nfseXml          the NFS-e as received (parsed safely once); holds the taker's data: never log it
     * @param route            how it was learned
     */
    record Authorized(String dpsId, String accessKey, Optional<String> nfseNumber, Optional<String> verificationCode,
                      OffsetDateTime processedAt, String nfseXml, Route route) implements IssueOutcome {

        public Authorized {
            Objects.requireNonNull(dpsId, "dpsId");
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(nfseXml, "nfseXml");
            Objects.requireNonNull(route, "route");
            nfseNumber = nfseNumber == null ? Optional.empty() : nfseNumber;
            verificationCode = verificationCode == null ? Optional.empty() : verificationCode;
        }

        /** Without the XML (it holds personal data). */
        @Override
        public String toString() {
            return "Authorized[" + dpsId + " -> " + accessKey + nfseNumber.map(n -> ", nNFSe " + n).orElse("")
                    + ", " + route + "]";
        }
    }

    /**
     * The Sefin refused the DPS: its first error. No retry helps; the DPS must be corrected (and re-signed).
     *
     * @param dpsId   the DPS Id
     * @param code    the first {@code codigo}, e.g. {@code E0310}
     * @param message its {@code descricao}, the authority's text ({@code complemento}, which may quote the
     *                document's values, is left out)
     * @param others  how many further errors the answer listed
     */
    record Rejected(String dpsId, String code, String message, int others) implements IssueOutcome {

        /** For a dead letter or the admin: the code, the authority's text and what to do. */
        public String describe() {
            return "the national NFS-e API (Sefin Nacional) rejected DPS " + dpsId + ": " + code + " - " + message
                    + (others > 0 ? " (and " + others + " more error" + (others == 1 ? "" : "s") + ")" : "")
                    + "; correct the charge or the fiscal settings, then issue a new signed DPS";
        }
    }
}
