package dev.ponte.xml;

/** An XML document the hub refuses to parse: a DTD or entity declaration, too large, or not well formed. */
public final class HostileXmlException extends RuntimeException {
    public HostileXmlException(String message) {
        super(message);
    }

    public HostileXmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
