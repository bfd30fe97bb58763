package dev.ponte.model;

/** A channel used to talk to patients. */
public enum Channel {
    WHATSAPP, SMS, EMAIL
}
