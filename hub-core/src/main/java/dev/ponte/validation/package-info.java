/**
 * Validation of canonical records: Bean Validation on the model plus the clinic rules, with stable rule ids
 * ({@link dev.ponte.validation.Rules}) and messages in pt-BR and en ({@link dev.ponte.validation.Messages}).
 */
package dev.ponte.validation;
