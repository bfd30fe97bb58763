package dev.ponte.model;

/** How a treatment package is billed: the whole package up front, or each session as it is performed. */
public enum BillingMode {
    UPFRONT, PER_SESSION
}
