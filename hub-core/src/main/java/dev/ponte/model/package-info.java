/**
 * The canonical clinic model: immutable records with Bean Validation constraints. Money is {@code BigDecimal} in
 * BRL; dates are {@code java.time}. Every field is described in {@code mappings/glossary.yaml}.
 */
package dev.ponte.model;
