/** Readers of source data (delimited export files) that stream records to the mapping engine. */
package dev.ponte.source;
