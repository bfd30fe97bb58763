/**
 * The fiscal trigger: when a charge becomes an invoice ({@link dev.ponte.fiscal.FiscalTriggerSettings}), and the
 * Invoice record, numbered without gaps, that it then writes ({@link dev.ponte.fiscal.Invoicing}). Building,
 * signing and sending the documents is the fiscal connector's ({@code connectors/fiscal}), not this package's.
 */
package dev.ponte.fiscal;
