package dev.ponte.bench;

import dev.ponte.glossary.Glossary;
import dev.ponte.mapping.MappedRecord;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.SourceRecord;
import dev.ponte.model.Appointment;
import dev.ponte.source.CsvSource;
import dev.ponte.tools.LegacyExportGenerator;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per appointment row: the mapping engine on {@code agenda.yaml} against {@link HandWrittenAppointmentMapper} (same
 * fields, same output), and the cost of validation (Bean Validation + clinic rules) of a mapped appointment.
 * Rows come from the project's generator (4,096 distinct rows, cycled).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MappingBenchmark {

    private static final int ROWS = 4096;

    private Mapping mapping;
    private RecordValidator validator;
    private final HandWrittenAppointmentMapper handWritten = new HandWrittenAppointmentMapper();
    private final List<SourceRecord> rows = new ArrayList<>();
    private final List<Appointment> mapped = new ArrayList<>();
    private int next;

    @Setup(Level.Trial)
    public void load() throws Exception {
        Path home = Path.of(System.getProperty("ponte.home", ".")).toAbsolutePath();
        Glossary glossary = Glossary.loadDefault();
        validator = new RecordValidator(glossary, Clock.systemDefaultZone());
        mapping = new MappingLoader(glossary, validator).load(home.resolve("mappings/legacy-clinic/agenda.yaml"));
        Path dir = Files.createTempDirectory("ponte-jmh-");
        LegacyExportGenerator.generate(dir, 200, ROWS, 0, 7);
        try (CsvSource source = CsvSource.open(dir.resolve("agenda.csv"), mapping.source(), mapping.columns())) {
            source.forEachRemaining(r -> rows.add(r.record()));
        }
        for (SourceRecord r : rows) {
            MappedRecord engine = mapping.map(r);
            Appointment hand = handWritten.map(r.values());
            if (!engine.accepted() || !engine.entity().equals(hand)) {
                throw new IllegalStateException("hand-written mapper and mapping engine disagree on line " + r.line()
                        + ":\n engine " + engine.entity() + engine.violations() + "\n hand   " + hand);
            }
            mapped.add(hand);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        validator.close();
    }

    private int index() {
        next = (next + 1) & (ROWS - 1);
        return next;
    }

    @Benchmark
    public Object mappingEngine() {
        return mapping.map(rows.get(index()));
    }

    @Benchmark
    public Object handWritten() {
        return handWritten.map(rows.get(index()).values());
    }

    @Benchmark
    public Object validation() {
        return validator.validate(mapped.get(index()), mapping.provenance(), ReferenceCatalog.NONE);
    }

    @Benchmark
    public Object mappingAndValidation() {
        return mapping.apply(rows.get(index()), validator, ReferenceCatalog.NONE);
    }
}
