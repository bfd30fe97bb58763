package dev.ponte.cli;

import dev.ponte.hub.PonteHub;
import dev.ponte.store.Database;
import dev.ponte.store.ReviewList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ponte review [--rule R]}: the review list, what the booking checks flagged and a person must look at (a
 * chart field missing, a price undefined, a procedure the plan does not cover, an authorization missing); such an
 * appointment is never billed while its item is open. Ids and rule ids only, no personal data.
 */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"The review list: appointments the booking checks flagged (chart-missing, chart-field-missing,",
                "price-undefined, insurance-coverage-unknown, insurance-not-covered, insurance-needs-authorization,",
                "package-enrollment-unknown) and source charges of appointments the hub charged (charged-twice).",
                "A flagged appointment is not billed; fix the cause in the source system and the next change of the",
                "appointment clears the item."})
final class ReviewCommand implements Callable<Integer> {

    @Option(names = "--rule", paramLabel = "RULE", description = "Only this rule.")
    String rule;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N items (default 100).")
    int limit;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = PonteHub.openDatabase(hub.settings())) {
            List<ReviewList.Item> items = db.inTransaction(c -> ReviewList.open(c, rule, limit));
            out.println(items.size() + " open item(s)" + (rule == null ? "" : " of rule " + rule)
                    + (items.size() == limit ? " (the first " + limit + "; --limit for more)" : ""));
            for (ReviewList.Item i : items) {
                out.printf("%-30s %s/%-14s %-34s since %s%n    %s%n", i.rule(), i.entity(), i.recordId(),
                        i.field() == null ? "" : i.field(), i.openedAt(), i.detail());
            }
            out.flush();
        }
        return 0;
    }
}
