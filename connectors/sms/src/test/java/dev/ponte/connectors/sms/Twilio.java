package dev.ponte.connectors.sms;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What Twilio does to a webhook, written from Twilio's documentation and not from the connector: a form POST signed
 * {@code X-Twilio-Signature: base64(HMAC-SHA1(auth token, url + each parameter's name and value, sorted by name))}.
 */
final class Twilio {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Twilio() {
    }

    static String signature(String authToken, String url, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** POSTs {@code body} with this signature header, or without it when {@code null}. */
    static HttpResponse<String> post(String url, String body, String signature) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (signature != null) {
            r.header("X-Twilio-Signature", signature);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code params} to {@code localUrl}, signed as Twilio signs them for the public callback URL. */
    static HttpResponse<String> postSigned(String localUrl, Map<String, String> params) throws Exception {
        return post(localUrl, form(params), signature(TwilioStandIn.AUTH_TOKEN, TwilioStandIn.CALLBACK_URL, params));
    }

    /** A status callback as Twilio sends it for an SMS. */
    static Map<String, String> status(String sid, String status, String errorCode) {
        Map<String, String> p = new TreeMap<>(Map.of("SmsSid", sid, "SmsStatus", status, "MessageStatus", status,
                "MessageSid", sid, "AccountSid", TwilioStandIn.ACCOUNT_SID, "From", TwilioStandIn.FROM,
                "To", "+5511991214283", "ApiVersion", "2010-04-01"));
        if (errorCode != null) {
            p.put("ErrorCode", errorCode);
        }
        return p;
    }

    /** An inbound SMS as Twilio posts it to the number's "A message comes in" webhook. */
    static Map<String, String> inbound(String sid, String from, String body) {
        Map<String, String> p = new TreeMap<>();
        p.put("ToCountry", "US");
        p.put("SmsMessageSid", sid);
        p.put("NumMedia", "0");
        p.put("SmsSid", sid);
        p.put("SmsStatus", "received");
        p.put("Body", body);
        p.put("To", TwilioStandIn.FROM);
        p.put("NumSegments", "1");
        p.put("MessageSid", sid);
        p.put("AccountSid", TwilioStandIn.ACCOUNT_SID);
        p.put("From", from);
        p.put("FromCountry", "BR");
        p.put("ApiVersion", "2010-04-01");
        return p;
    }
}
