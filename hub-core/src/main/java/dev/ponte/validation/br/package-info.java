/**
 * Bean Validation constraints for Brazilian identifiers (CPF, CNPJ numeric and alphanumeric, CEP, UF, E.164 phone)
 * and the arithmetic behind them ({@link dev.ponte.validation.br.BrazilianIds}, {@link dev.ponte.validation.br.Phones}).
 */
package dev.ponte.validation.br;
