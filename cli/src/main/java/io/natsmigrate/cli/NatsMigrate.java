package io.natsmigrate.cli;

import io.natsmigrate.core.MigrationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code natsmigrate} command. Exit codes: {@value #OK} ok, {@value #FAILURE} failure (the message says what and
 * the fix), {@value #USAGE} usage (an unknown option, a missing argument).
 */
@Command(name = "natsmigrate", mixinStandardHelpOptions = true, versionProvider = NatsMigrate.Version.class,
        description = "Migrations onto NATS JetStream: apply, watch, roll back and inspect plans.",
        subcommands = {StatusCommand.class, HistoryCommand.class, WatchCommand.class, DryRunCommand.class,
                ApplyCommand.class, RollbackCommand.class, UnlockCommand.class, ValidateCommand.class,
                RabbitMqCommand.class, CommandLine.HelpCommand.class})
public final class NatsMigrate {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private NatsMigrate() {
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given output streams; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new NatsMigrate());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // Failures are expected outcomes here (a gate timed out, a lock is held): their message is the report.
            line.getErr().println("natsmigrate: " + message(e));
            if (Boolean.getBoolean("natsmigrate.cli.stacktrace")) {
                e.printStackTrace(line.getErr());
            }
            return FAILURE;
        });
        int exit = cli.execute(args);
        out.flush();
        err.flush();
        return exit;
    }

    private static String message(Exception e) {
        if (e instanceof MigrationException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = NatsMigrate.class.getPackage().getImplementationVersion();
            return new String[]{"natsmigrate " + (v == null ? "(development build)" : v)};
        }
    }
}
