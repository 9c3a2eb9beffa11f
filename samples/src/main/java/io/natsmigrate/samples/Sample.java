package io.natsmigrate.samples;

import java.io.PrintStream;

/** A runnable end-to-end scenario that starts its own servers and reports what happened to every message. */
interface Sample {

    /** The name used on the command line. */
    String name();

    /** One line saying what the sample shows. */
    String description();

    /** Runs the sample, printing progress to {@code out}. */
    SampleReport run(PrintStream out) throws Exception;
}
