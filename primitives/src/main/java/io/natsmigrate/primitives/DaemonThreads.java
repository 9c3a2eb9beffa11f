package io.natsmigrate.primitives;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The threads natsmigrate starts: daemons, so a library component an application forgot to close never keeps its
 * JVM alive, and named after what they do, so a thread dump says whose they are.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory whose threads are daemons named {@code name}. */
    public static ThreadFactory named(String name) {
        Objects.requireNonNull(name, "name");
        return r -> create(r, name);
    }

    /** A daemon thread named {@code name} running {@code task}, not started. */
    public static Thread create(Runnable task, String name) {
        Thread t = new Thread(Objects.requireNonNull(task, "task"), Objects.requireNonNull(name, "name"));
        t.setDaemon(true);
        return t;
    }
}
