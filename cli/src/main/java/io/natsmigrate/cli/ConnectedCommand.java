package io.natsmigrate.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A command that talks to NATS: the connection options, the plan state options, and the command's output. */
abstract class ConnectedCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    PlanOptions plans;
    @Spec
    CommandSpec spec;

    /** Where the command's report goes (picocli's out, so tests and the wrapper see it). */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
