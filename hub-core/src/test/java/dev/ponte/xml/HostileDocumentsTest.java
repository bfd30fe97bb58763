package dev.ponte.xml;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ponte.inbound.InboundMessages;
import dev.ponte.json.Json;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile XML and JSON of the bad-input corpus are refused with a clear error, before they can do harm. */
class HostileDocumentsTest {

    private static byte[] corpus(String name) throws IOException {
        try (InputStream in = HostileDocumentsTest.class.getResourceAsStream("/bad-input/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void anExternalEntityIsNeverResolved() throws IOException {
        assertThatThrownBy(() -> SafeXml.parse(corpus("xxe.xml"), "NFS-e response of RPS 17"))
                .isInstanceOf(HostileXmlException.class)
                .hasMessageStartingWith("NFS-e response of RPS 17: refused, it declares a DOCTYPE")
                .hasMessageNotContaining("root:");
    }

    @Test
    void entityExpansionIsRefusedBeforeItStarts() throws IOException {
        assertThatThrownBy(() -> SafeXml.parse(corpus("billion-laughs.xml"), "partner file lolz.xml"))
                .isInstanceOf(HostileXmlException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void anOrdinaryDocumentStillParsesAndBrokenOnesNameTheLine() {
        Document d = SafeXml.parse("<CompNfse><Numero>42</Numero></CompNfse>".getBytes(StandardCharsets.UTF_8), "x");
        assertThat(d.getDocumentElement().getTextContent()).isEqualTo("42");
        assertThatThrownBy(() -> SafeXml.parse("<a>\n<b></a>".getBytes(StandardCharsets.UTF_8), "doc"))
                .isInstanceOf(HostileXmlException.class).hasMessageContaining("doc: not well-formed XML at line 2");
    }

    @Test
    void anOversizedDocumentIsRefusedUnread() {
        assertThatThrownBy(() -> SafeXml.parse(new byte[SafeXml.MAX_BYTES + 1], "big.xml"))
                .isInstanceOf(HostileXmlException.class).hasMessageContaining("over the limit");
    }

    @Test
    void deeplyNestedJsonIsRefusedByTheHubsJsonReader() throws IOException {
        String deep = new String(corpus("deep.json"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.MAPPER.readTree(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> InboundMessages.parse(deep, "legacy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a message on ponte.in.legacy is not an inbound chunk")
                .hasMessageNotContaining("[[[");
        assertThat(Json.MAPPER.readTree("[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH)))
                .isNotNull();
    }
}
