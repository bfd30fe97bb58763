package dev.ponte.connectors.sms;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TwilioSignature} against the example of Twilio's webhook security documentation (and its helper libraries'
 * samples): auth token {@code 12345}, the URL {@code https://mycompany.com/myapp.php?foo=1&bar=2} and five POST
 * parameters sign as {@code GvWf1cFY/Q7PnoempGyD5oXAezc=}.
 */
class TwilioSignatureTest {

    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final Map<String, List<String>> PARAMS = Map.of(
            "CallSid", List.of("CA1234567890ABCDE"),
            "Caller", List.of("+14158675310"),
            "Digits", List.of("1234"),
            "From", List.of("+14158675310"),
            "To", List.of("+18005551212"));
    private static final String PUBLISHED = "GvWf1cFY/Q7PnoempGyD5oXAezc=";

    private final TwilioSignature signature = new TwilioSignature("12345");

    @Test
    void theDocumentedExampleSignsAsPublished() {
        assertThat(signature.sign(URL, PARAMS)).isEqualTo(PUBLISHED);
        assertThat(signature.matches(PUBLISHED, URL, PARAMS)).isTrue();
    }

    @Test
    void anyChangeOfTheUrlParametersTokenOrSignatureFails() {
        assertThat(signature.matches(PUBLISHED, URL.replace("foo=1", "foo=2"), PARAMS)).isFalse();
        assertThat(signature.matches(PUBLISHED, URL, Map.of("CallSid", List.of("CA1234567890ABCDE")))).isFalse();
        assertThat(new TwilioSignature("54321").matches(PUBLISHED, URL, PARAMS)).isFalse();
        assertThat(signature.matches(PUBLISHED.toLowerCase(), URL, PARAMS)).isFalse();
        assertThat(signature.matches(null, URL, PARAMS)).isFalse();
        assertThat(signature.matches("", URL, PARAMS)).isFalse();
    }

    @Test
    void theParametersOfADecodedFormSignTheSame() {
        String form = "To=%2B18005551212&From=%2B14158675310&Digits=1234&Caller=%2B14158675310"
                + "&CallSid=CA1234567890ABCDE";
        assertThat(signature.sign(URL, FormBody.decode(form))).isEqualTo(PUBLISHED);
    }
}
