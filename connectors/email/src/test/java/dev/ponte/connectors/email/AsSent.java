package dev.ponte.connectors.email;

import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;

/**
 * A mail GreenMail received, as the client sent it: its whole text without the trace headers the server put on top
 * ({@code Return-Path}, {@code Received}, with their continuation lines), every line ending in CRLF (the last one
 * too, as Jakarta Mail writes it).
 */
final class AsSent {

    private AsSent() {
    }

    static String text(MimeMessage received) {
        String whole = GreenMailUtil.getWholeMessage(received).replace("\r\n", "\n").replace("\n", "\r\n");
        StringBuilder out = new StringBuilder();
        boolean inHeaders = true;
        boolean skipping = false;
        for (String line : whole.split("\r\n", -1)) {
            if (inHeaders) {
                if (line.isEmpty()) {
                    inHeaders = false;
                } else if (line.startsWith(" ") || line.startsWith("\t")) {
                    if (skipping) {
                        continue;
                    }
                } else {
                    String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim();
                    skipping = name.equalsIgnoreCase("Return-Path") || name.equalsIgnoreCase("Received");
                    if (skipping) {
                        continue;
                    }
                }
            }
            out.append(line).append("\r\n");
        }
        String text = out.toString();
        // the message's last CRLF is the start of SMTP's end of data (CRLF . CRLF): GreenMail keeps the text before
        while (text.endsWith("\r\n\r\n")) {
            text = text.substring(0, text.length() - 2);
        }
        return text;
    }
}
