package dev.ponte.cli;

/** Runs the CLI in-process from tests of other packages. */
public final class PonteCliRunner {

    public record Result(int exitCode, String out, String err) {

        /** What the command printed, for assertion messages: a failed command says why. */
        public String transcript() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    private PonteCliRunner() {
    }

    public static Result run(String... args) {
        CliRun r = CliRun.of(args);
        return new Result(r.exitCode(), r.out(), r.err());
    }
}
