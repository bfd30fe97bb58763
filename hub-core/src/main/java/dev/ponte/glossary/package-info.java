/** The glossary: one definition, label pair (pt-BR/en), type and sensitivity for every canonical field. */
package dev.ponte.glossary;
