package dev.ponte.model;

/** What a patient consents to be contacted for (LGPD: consent is per channel and purpose). */
public enum ConsentPurpose {
    REMINDERS, MARKETING, BILLING, CARE
}
