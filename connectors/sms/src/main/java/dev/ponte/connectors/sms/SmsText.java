package dev.ponte.connectors.sms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of an SMS as the SMSC takes it: the encoding, and the segments. Pure functions, no state.
 *
 * <ul>
 *   <li><b>GSM-7</b> (data_coding {@code 0x00}) when every character is in the GSM 03.38 default alphabet or its
 *       extension table ({@code ^ { } \ [ ~ ] | €}, two septets each: escape {@code 0x1B} and the code). The bytes
 *       are the unpacked septets, one per byte, as SMPP carries them. One segment holds 160 septets; a longer text
 *       is cut into segments of 153, never between an escape and its code.</li>
 *   <li><b>UCS-2</b> (data_coding {@code 0x08}, UTF-16BE) otherwise. One segment holds 70 UTF-16 units; a longer
 *       text is cut into segments of 67, never inside a surrogate pair.</li>
 *   <li>with {@code transliterate}, characters outside GSM-7 are replaced by their plain form first (á → a,
 *       ç → c, õ → o, curly quotes → ", dashes → -; accents stripped by NFD, then a small table, anything left
 *       → ?), so the text always goes as GSM-7.</li>
 * </ul>
 * Each segment of a multipart text starts with a 6-byte concatenation user data header
 * ({@code 05 00 03 ref total seq}) and is sent with esm_class {@code 0x40} (UDHI). The reference byte is the
 * caller's: the same for every segment of one message.
 */
final class SmsText {

    /** data_coding of the GSM 7-bit default alphabet. */
    static final byte GSM7 = 0x00;
    /** data_coding of UCS-2 (sent as UTF-16BE). */
    static final byte UCS2 = 0x08;
    /** data_coding of Latin-1 (ISO-8859-1), as some SMSCs deliver patients' messages. */
    static final byte LATIN1 = 0x03;
    /** esm_class with the user data header indicator set. */
    static final byte ESM_UDHI = 0x40;

    static final int GSM7_SINGLE = 160;
    static final int GSM7_PART = 153;
    static final int UCS2_SINGLE = 70;
    static final int UCS2_PART = 67;

    private static final int ESCAPE = 0x1B;

    /** The default alphabet, by septet value (0x1B, the escape, is not a character). */
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /** The extension table: character → code after the escape. */
    private static final Map<Character, Integer> EXTENSION = Map.of('^', 0x14, '{', 0x28, '}', 0x29, '\\', 0x2F,
            '[', 0x3C, '~', 0x3D, ']', 0x3E, '|', 0x40, '€', 0x65);

    private static final Map<Character, Integer> BASIC_CODES = new HashMap<>();
    private static final Map<Integer, Character> EXTENSION_CHARS = new HashMap<>();

    /** Plain forms of common characters outside GSM-7 that NFD does not reduce. */
    private static final Map<Integer, String> PLAIN = new HashMap<>();

    static {
        for (int i = 0; i < BASIC.length(); i++) {
            if (i != ESCAPE) {
                BASIC_CODES.put(BASIC.charAt(i), i);
            }
        }
        EXTENSION.forEach((c, code) -> EXTENSION_CHARS.put(code, c));
        for (int c : new int[] {'\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB', '\u2033'}) {
            PLAIN.put(c, "\"");
        }
        for (int c : new int[] {'\u2018', '\u2019', '\u201A', '\u201B', '\u00B4', '`', '\u2032'}) {
            PLAIN.put(c, "'");
        }
        for (int c : new int[] {'\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212'}) {
            PLAIN.put(c, "-");
        }
        for (int c : new int[] {'\u00A0', '\u2002', '\u2003', '\u2009', '\u202F', '\t'}) {
            PLAIN.put(c, " ");
        }
        PLAIN.put((int) '\u2026', "...");
        PLAIN.put((int) '\u2022', "-");
        PLAIN.put((int) '\u00BA', "o");
        PLAIN.put((int) '\u00AA', "a");
        PLAIN.put((int) '\u00B0', "o");
        PLAIN.put((int) '\u0153', "oe");
        PLAIN.put((int) '\u0152', "OE");
        PLAIN.put((int) '\u00D0', "D");
        PLAIN.put((int) '\u0111', "d");
        PLAIN.put((int) '\u0142', "l");
        PLAIN.put((int) '\u0141', "L");
        PLAIN.put((int) '\u00FE', "th");
        PLAIN.put((int) '\u00A9', "(c)");
        PLAIN.put((int) '\u00AE', "(R)");
        PLAIN.put((int) '\u2122', "TM");
    }

    private SmsText() {
    }

    /**
     * One submit_sm's worth of the text.
     *
     * @param shortMessage the short_message field: the UDH (when multipart) followed by the encoded text
     * @param udh          the concatenation header alone, or {@code null} for a single-segment message
     * @param esmClass     {@code 0x40} with a UDH, else {@code 0x00}
     * @param units        septets (GSM-7) or UTF-16 units (UCS-2) of the text in this segment
     */
    record Segment(byte[] shortMessage, byte[] udh, byte esmClass, int units) {
    }

    /**
     * A text ready to submit.
     *
     * @param dataCoding {@link #GSM7} or {@link #UCS2}
     * @param segments   one or more, in order
     */
    record Encoded(byte dataCoding, List<Segment> segments) {

        /** {@code GSM-7} or {@code UCS-2}. */
        String encodingName() {
            return dataCoding == GSM7 ? "GSM-7" : "UCS-2";
        }

        /** {@code "3 segment(s), GSM-7"}: a Delivery's detail. */
        String describe() {
            return segments.size() + " segment(s), " + encodingName();
        }
    }

    /**
     * Encodes and splits a text.
     *
     * @param text          the text as the hub rendered it
     * @param transliterate replace characters outside GSM-7 by their plain form, so the text goes as GSM-7
     * @param reference     the concatenation reference of this message (its low 8 bits are used)
     */
    static Encoded encode(String text, boolean transliterate, int reference) {
        String t = transliterate ? transliterate(text) : text;
        return isGsm7(t) ? gsm7(t, reference) : ucs2(t, reference);
    }

    /**
     * The text a provider that encodes by itself (Twilio, Zenvia) is given: transliterated when asked, so it goes as
     * GSM-7 there too.
     */
    static String text(String text, boolean transliterate) {
        return transliterate ? transliterate(text) : text;
    }

    /** Whether every character of the text is in the GSM 7-bit default alphabet or its extension table. */
    static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (septets(text.charAt(i)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The text with every character outside GSM-7 replaced by its plain form, or {@code ?} when it has none. */
    static String transliterate(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            String s = Character.toString(cp);
            if (isGsm7(s)) {
                out.append(s);
                return;
            }
            String stripped = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
            if (!stripped.isEmpty() && isGsm7(stripped)) {
                out.append(stripped);
                return;
            }
            String plain = PLAIN.get(cp);
            out.append(plain != null ? plain : "?");
        });
        return out.toString();
    }

    /** Septets a character takes in GSM-7: 1, 2 (extension table) or 0 when it is not in the alphabet. */
    private static int septets(char c) {
        if (BASIC_CODES.containsKey(c)) {
            return 1;
        }
        return EXTENSION.containsKey(c) ? 2 : 0;
    }

    private static Encoded gsm7(String text, int reference) {
        int total = 0;
        for (int i = 0; i < text.length(); i++) {
            total += septets(text.charAt(i));
        }
        List<String> parts = new ArrayList<>();
        List<Integer> units = new ArrayList<>();
        if (total <= GSM7_SINGLE) {
            parts.add(text);
            units.add(total);
        } else {
            int start = 0;
            int used = 0;
            for (int i = 0; i < text.length(); i++) {
                int n = septets(text.charAt(i));
                if (used + n > GSM7_PART) {
                    parts.add(text.substring(start, i));
                    units.add(used);
                    start = i;
                    used = 0;
                }
                used += n;
            }
            parts.add(text.substring(start));
            units.add(used);
        }
        List<byte[]> bytes = parts.stream().map(SmsText::gsm7Bytes).toList();
        return new Encoded(GSM7, segments(bytes, units, reference));
    }

    private static byte[] gsm7Bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            Integer code = BASIC_CODES.get(c);
            if (code != null) {
                out.write(code);
            } else {
                out.write(ESCAPE);
                out.write(EXTENSION.get(c));
            }
        }
        return out.toByteArray();
    }

    private static Encoded ucs2(String text, int reference) {
        List<String> parts = new ArrayList<>();
        if (text.length() <= UCS2_SINGLE) {
            parts.add(text);
        } else {
            int start = 0;
            while (start < text.length()) {
                int end = Math.min(start + UCS2_PART, text.length());
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--; // the pair goes whole into the next segment
                }
                parts.add(text.substring(start, end));
                start = end;
            }
        }
        List<byte[]> bytes = parts.stream().map(p -> p.getBytes(StandardCharsets.UTF_16BE)).toList();
        return new Encoded(UCS2, segments(bytes, parts.stream().map(String::length).toList(), reference));
    }

    private static List<Segment> segments(List<byte[]> parts, List<Integer> units, int reference) {
        if (parts.size() == 1) {
            return List.of(new Segment(parts.get(0), null, (byte) 0, units.get(0)));
        }
        if (parts.size() > 255) {
            throw new IllegalArgumentException("a text of " + parts.size() + " segments is longer than the 255 "
                    + "segments a concatenated SMS can hold");
        }
        List<Segment> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            byte[] udh = {0x05, 0x00, 0x03, (byte) reference, (byte) parts.size(), (byte) (i + 1)};
            byte[] body = parts.get(i);
            byte[] sm = new byte[udh.length + body.length];
            System.arraycopy(udh, 0, sm, 0, udh.length);
            System.arraycopy(body, 0, sm, udh.length, body.length);
            out.add(new Segment(sm, udh, ESM_UDHI, units.get(i)));
        }
        return out;
    }

    /**
     * Decodes the short_message of a received PDU (a patient's SMS), without its UDH when {@code udhi}.
     *
     * @param dataCoding {@code 0x00} GSM-7 (unpacked septets), {@code 0x08} UCS-2, {@code 0x01}/{@code 0x03}
     *                   ASCII/Latin-1; any other value is read as Latin-1
     */
    static String decode(byte[] shortMessage, byte dataCoding, boolean udhi) {
        byte[] b = shortMessage == null ? new byte[0] : shortMessage;
        int from = 0;
        if (udhi && b.length > 0) {
            from = Math.min(b.length, (b[0] & 0xFF) + 1);
        }
        int coding = dataCoding & 0xFF;
        if (coding == (UCS2 & 0xFF)) {
            return new String(b, from, b.length - from, StandardCharsets.UTF_16BE);
        }
        if (coding == GSM7 || (coding & 0xF0) == 0xF0 && (coding & 0x04) == 0) {
            return decodeGsm7(b, from);
        }
        return new String(b, from, b.length - from, StandardCharsets.ISO_8859_1);
    }

    private static String decodeGsm7(byte[] b, int from) {
        StringBuilder out = new StringBuilder(b.length - from);
        for (int i = from; i < b.length; i++) {
            int septet = b[i] & 0x7F;
            if (septet == ESCAPE && i + 1 < b.length) {
                Character ext = EXTENSION_CHARS.get(b[++i] & 0x7F);
                out.append(ext != null ? ext : ' ');
            } else if (septet != ESCAPE) {
                out.append(BASIC.charAt(septet));
            }
        }
        return out.toString();
    }
}
