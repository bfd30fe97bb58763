package dev.ponte.connectors.whatsapp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Meta does to a webhook, written from Meta's documentation and not from the connector: the verification GET,
 * and POSTs signed {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body with the app secret>}.
 */
final class Meta {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Meta() {
    }

    static String signature(String appSecret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** POSTs {@code body} with this signature header value, or without the header when {@code null}. */
    static HttpResponse<String> post(String url, byte[] body, String signature) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            r.header("X-Hub-Signature-256", signature);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} signed with the test's app secret. */
    static HttpResponse<String> postSigned(String url, byte[] body) throws Exception {
        return post(url, body, signature(GraphStandIn.APP_SECRET, body));
    }

    static HttpResponse<String> get(String url, Map<String, String> query) throws Exception {
        String q = query.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + (q.isEmpty() ? "" : "?" + q))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A notification of delivery statuses, as Meta sends it. */
    static String statuses(String... idStatusTimestamp) {
        return notification(change(GraphStandIn.PHONE_NUMBER_ID, statusList(idStatusTimestamp)));
    }

    /** A notification of one text message from a patient. */
    static String text(String id, String from, String body, String inReplyTo, long timestamp) {
        return notification(change(GraphStandIn.PHONE_NUMBER_ID, "\"contacts\":[{\"profile\":{\"name\":\"Ana\"},"
                + "\"wa_id\":\"" + from + "\"}],\"messages\":[" + textMessage(id, from, body, inReplyTo, timestamp)
                + "]"));
    }

    /** {@code "statuses": [...]} of a change's value, each with a recipient. */
    static String statusList(String... idStatusTimestamp) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < idStatusTimestamp.length; i += 3) {
            s.append(i == 0 ? "" : ",").append("{\"id\":\"").append(idStatusTimestamp[i]).append("\",\"status\":\"")
                    .append(idStatusTimestamp[i + 1]).append("\",\"timestamp\":\"").append(idStatusTimestamp[i + 2])
                    .append("\",\"recipient_id\":\"5511987654321\"}");
        }
        return "\"statuses\":[" + s + "]";
    }

    /** One message of type text, for a change's {@code "messages"}. */
    static String textMessage(String id, String from, String body, String inReplyTo, long timestamp) {
        return "{" + (inReplyTo == null ? "" : "\"context\":{\"from\":\"15550001111\",\"id\":\"" + inReplyTo
                + "\"},") + "\"from\":\"" + from + "\",\"id\":\"" + id + "\",\"timestamp\":\"" + timestamp
                + "\",\"type\":\"text\",\"text\":{\"body\":\"" + body + "\"}}";
    }

    /**
     * One {@code messages} change: its value is {@code value} (fields of the value object), with the metadata of
     * the phone number {@code phoneNumberId}, or without metadata when {@code null}.
     */
    static String change(String phoneNumberId, String value) {
        return "{\"value\":{\"messaging_product\":\"whatsapp\"," + (phoneNumberId == null ? ""
                : "\"metadata\":{\"display_phone_number\":\"15550001111\",\"phone_number_id\":\"" + phoneNumberId
                + "\"},") + value + "},\"field\":\"messages\"}";
    }

    /** A notification of one entry with these changes. */
    static String notification(String... changes) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":["
                + String.join(",", changes) + "]}]}";
    }
}
