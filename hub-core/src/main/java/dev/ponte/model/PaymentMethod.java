package dev.ponte.model;

/** How a payment was made. */
public enum PaymentMethod {
    PIX, CREDIT_CARD, DEBIT_CARD, CASH, BANK_SLIP, BANK_TRANSFER
}
