package dev.ponte.mapping;

import java.nio.charset.Charset;
import java.time.ZoneId;

/**
 * How to read the source a mapping applies to.
 *
 * @param system    name of the source system ({@code legacy-clinic}); with the key, identifies a record for xref
 * @param format    {@code csv} (files) or {@code jdbc} (tables polled by the legacy-jdbc connector)
 * @param file      file name or glob the mapping applies to ({@code pacientes.csv}, {@code agenda*.csv})
 * @param encoding  character set of the files (ISO-8859-1 for most legacy exports)
 * @param delimiter column separator
 * @param header    whether the first line names the columns (mappings then refer to columns by name)
 * @param key       the column holding the record's id in the source system
 * @param zone      time zone of local dates and times in the source
 * @param table     for {@code format: jdbc}, the table (or view) polled
 * @param watermark for {@code format: jdbc}, the column that grows with every change (a sequence or timestamp)
 */
public record SourceOptions(String system, String format, String file, Charset encoding, char delimiter,
                            boolean header, String key, ZoneId zone, String table, String watermark) {

    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Sao_Paulo");
}
