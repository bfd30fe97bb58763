package dev.ponte.connectors.sms;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Encoding choice, segmenting and transliteration of SMS texts. */
class SmsTextTest {

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    private static byte[] text(SmsText.Segment s) {
        return s.udh() == null ? s.shortMessage() : Arrays.copyOfRange(s.shortMessage(), s.udh().length,
                s.shortMessage().length);
    }

    @Test
    void aPlainPortugueseTextGoesAsGsm7OneSeptetPerByte() {
        SmsText.Encoded e = SmsText.encode("Ola @ Ana! 10:00 £$", false, 1);
        assertThat(e.dataCoding()).isEqualTo(SmsText.GSM7);
        assertThat(e.encodingName()).isEqualTo("GSM-7");
        assertThat(e.segments()).hasSize(1);
        SmsText.Segment s = e.segments().get(0);
        assertThat(s.udh()).isNull();
        assertThat(s.esmClass()).isZero();
        assertThat(HexFormat.of().formatHex(s.shortMessage())).isEqualTo("4f6c61200020416e6121203130" + "3a3030200102");
    }

    @Test
    void lettersOfTheGsmAlphabetStayGsm7AndOthersMakeItUcs2() {
        assertThat(SmsText.encode("é è à ù ì ò Ç Ñ ñ ü Ä ß É", false, 1).dataCoding()).isEqualTo(SmsText.GSM7);
        assertThat(SmsText.encode("sessão", false, 1).dataCoding()).isEqualTo(SmsText.UCS2);
        assertThat(SmsText.encode("ç", false, 1).dataCoding()).as("lower-case ç is not in GSM-7")
                .isEqualTo(SmsText.UCS2);
        assertThat(SmsText.encode("“ok”", false, 1).dataCoding()).isEqualTo(SmsText.UCS2);
        SmsText.Encoded u = SmsText.encode("Olá", false, 1);
        assertThat(u.encodingName()).isEqualTo("UCS-2");
        assertThat(u.segments().get(0).shortMessage()).isEqualTo("Olá".getBytes(StandardCharsets.UTF_16BE));
    }

    @Test
    void extensionCharactersTakeTwoSeptetsEscapeAndCode() {
        SmsText.Encoded e = SmsText.encode("^{}\\[~]|€", false, 1);
        assertThat(e.dataCoding()).isEqualTo(SmsText.GSM7);
        assertThat(HexFormat.of().formatHex(e.segments().get(0).shortMessage()))
                .isEqualTo("1b141b281b291b2f1b3c1b3d1b3e1b401b65");
        assertThat(e.segments().get(0).units()).isEqualTo(18);
        assertThat(SmsText.encode(repeat('€', 80), false, 1).segments()).as("160 septets").hasSize(1);
        assertThat(SmsText.encode(repeat('€', 80) + "a", false, 1).segments()).as("161 septets").hasSize(2);
    }

    @Test
    void anExtensionCharacterIsNeverSplitAcrossSegments() {
        // 152 plain septets, then € (2 septets): it does not fit segment 1's 153, so it opens segment 2
        SmsText.Encoded e = SmsText.encode(repeat('a', 152) + "€" + repeat('b', 10), false, 7);
        assertThat(e.segments()).hasSize(2);
        assertThat(e.segments().get(0).units()).isEqualTo(152);
        assertThat(text(e.segments().get(0))).hasSize(152).doesNotContain((byte) 0x1B);
        assertThat(text(e.segments().get(1))[0]).isEqualTo((byte) 0x1B);
        assertThat(text(e.segments().get(1))[1]).isEqualTo((byte) 0x65);
    }

    @Test
    void gsm7Holds160SeptetsInOneSegmentAnd153PerSegmentBeyond() {
        assertThat(SmsText.encode(repeat('a', 160), false, 1).segments()).hasSize(1);
        SmsText.Encoded two = SmsText.encode(repeat('a', 161), false, 1);
        assertThat(two.segments()).hasSize(2);
        assertThat(two.segments()).extracting(SmsText.Segment::units).containsExactly(153, 8);
        assertThat(SmsText.encode(repeat('a', 306), false, 1).segments()).hasSize(2);
        assertThat(SmsText.encode(repeat('a', 307), false, 1).segments()).hasSize(3);
    }

    @Test
    void ucs2Holds70UnitsInOneSegmentAnd67PerSegmentBeyond() {
        assertThat(SmsText.encode(repeat('ã', 70), false, 1).segments()).hasSize(1);
        SmsText.Encoded two = SmsText.encode(repeat('ã', 71), false, 1);
        assertThat(two.segments()).hasSize(2);
        assertThat(two.segments()).extracting(SmsText.Segment::units).containsExactly(67, 4);
        assertThat(text(two.segments().get(0))).hasSize(134);
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String text = repeat('ã', 66) + "😀" + repeat('ã', 10); // the pair would be units 67 and 68
        SmsText.Encoded e = SmsText.encode(text, false, 1);
        assertThat(e.segments()).extracting(SmsText.Segment::units).containsExactly(66, 12);
        String rebuilt = e.segments().stream().map(s -> new String(text(s), StandardCharsets.UTF_16BE))
                .reduce("", String::concat);
        assertThat(rebuilt).isEqualTo(text);
    }

    @Test
    void fourHundredPlainCharactersAreThreeSegmentsWithConcatenationHeaders() {
        SmsText.Encoded e = SmsText.encode(repeat('x', 400), false, 0xA7);
        assertThat(e.segments()).hasSize(3);
        assertThat(e.describe()).isEqualTo("3 segment(s), GSM-7");
        for (int i = 0; i < 3; i++) {
            SmsText.Segment s = e.segments().get(i);
            assertThat(s.esmClass()).isEqualTo((byte) 0x40);
            assertThat(s.udh()).containsExactly(0x05, 0x00, 0x03, 0xA7, 0x03, i + 1);
            assertThat(Arrays.copyOf(s.shortMessage(), 6)).isEqualTo(s.udh());
        }
        assertThat(e.segments()).extracting(SmsText.Segment::units).containsExactly(153, 153, 94);
    }

    @Test
    void fourHundredAccentedCharactersAreSixUcs2Segments() {
        String text = "ação é ótima, não? ".repeat(22).substring(0, 400);
        SmsText.Encoded e = SmsText.encode(text, false, 3);
        assertThat(e.dataCoding()).isEqualTo(SmsText.UCS2);
        assertThat(e.segments()).hasSize(6);
        assertThat(e.describe()).isEqualTo("6 segment(s), UCS-2");
        assertThat(e.segments().get(5).udh()).containsExactly(0x05, 0x00, 0x03, 0x03, 0x06, 0x06);
    }

    @Test
    void transliterationReplacesCharactersOutsideGsm7ByTheirPlainForm() {
        assertThat(SmsText.transliterate("Olá, sessão às 10h — “confirme” ‘já’ ç Ç õ ê í ú … ª"))
                .isEqualTo("Ola, sessao às 10h - \"confirme\" 'ja' c Ç o e i u ... a");
        assertThat(SmsText.transliterate("emoji 😀 and 漢")).isEqualTo("emoji ? and ?");
        SmsText.Encoded e = SmsText.encode("Olá Ana, sua sessão é amanhã", true, 1);
        assertThat(e.dataCoding()).isEqualTo(SmsText.GSM7);
        assertThat(SmsText.decode(e.segments().get(0).shortMessage(), SmsText.GSM7, false))
                .isEqualTo("Ola Ana, sua sessao é amanha");
    }

    @Test
    void transliteratedAccentedTextHolds160CharactersPerSegment() {
        assertThat(SmsText.encode(repeat('ã', 160), true, 1).segments()).hasSize(1);
        assertThat(SmsText.encode(repeat('ã', 400), true, 1).segments()).hasSize(3);
    }

    @Test
    void receivedTextsAreDecodedPerTheirDataCoding() {
        byte[] gsm = SmsText.encode("Sim, confirmo {1} €", false, 1).segments().get(0).shortMessage();
        assertThat(SmsText.decode(gsm, (byte) 0x00, false)).isEqualTo("Sim, confirmo {1} €");
        assertThat(SmsText.decode("Não posso".getBytes(StandardCharsets.UTF_16BE), (byte) 0x08, false))
                .isEqualTo("Não posso");
        assertThat(SmsText.decode("Não".getBytes(StandardCharsets.ISO_8859_1), (byte) 0x03, false))
                .isEqualTo("Não");
        byte[] withUdh = {0x05, 0x00, 0x03, 0x01, 0x02, 0x01, 0x53, 0x69, 0x6D};
        assertThat(SmsText.decode(withUdh, (byte) 0x00, true)).isEqualTo("Sim");
    }
}
