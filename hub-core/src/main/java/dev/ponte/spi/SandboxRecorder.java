package dev.ponte.spi;

import java.util.Map;

/**
 * Where a connector in sandbox mode hands the request it would have sent. The hub keeps each one (table
 * {@code sandbox_request}, shown by {@code bin/ponte sandbox list}) so a clinic can try a flow before production.
 * Implementations are thread safe.
 *
 * @since 0.1
 */
public interface SandboxRecorder {

    /**
     * Records one request exactly as it would have gone out.
     *
     * @param instance    the connector instance
     * @param businessKey the command's business key, or {@code null} for requests outside a command (sync)
     * @param method      protocol verb: HTTP method, {@code SMTP}, {@code SUBMIT_SM}
     * @param target      where it would have gone: URL, address
     * @param headers     protocol headers; credentials (Authorization, tokens) must be left out by the caller
     * @param body        the body as text, or {@code null}
     */
    void record(String instance, String businessKey, String method, String target, Map<String, String> headers,
                String body);
}
