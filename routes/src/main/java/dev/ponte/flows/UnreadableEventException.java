package dev.ponte.flows;

/** A message on a flow's subscription that is not a canonical event: it will not become readable by retrying. */
final class UnreadableEventException extends Exception {

    UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
