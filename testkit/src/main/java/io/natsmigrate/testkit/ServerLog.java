package io.natsmigrate.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a nats-server process printed (it logs to stderr), kept in memory across restarts of the same
 * server. Bounded: the oldest lines are dropped past {@value #MAX_LINES}.
 */
public final class ServerLog {

    static final int MAX_LINES = 10_000;

    private final Deque<String> lines = new ArrayDeque<>();
    private long dropped;
    private long total;

    synchronized void add(String line) {
        if (lines.size() == MAX_LINES) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(line);
        total++;
        notifyAll();
    }

    /** All retained lines. */
    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** The last {@code n} lines joined by newlines. */
    public synchronized String tail(int n) {
        List<String> all = new ArrayList<>(lines);
        List<String> tail = all.subList(Math.max(0, all.size() - n), all.size());
        String head = all.size() > n || dropped > 0 ? "... (" + (all.size() - tail.size() + dropped)
                + " earlier lines not shown)\n" : "";
        return head + String.join("\n", tail);
    }

    /** How many lines were printed so far (also those no longer retained); a mark for {@link #awaitAfter}. */
    public synchronized long mark() {
        return total;
    }

    /**
     * Waits until a line matching {@code regex} is printed after {@code mark} (from {@link #mark()}).
     *
     * @return true when it appeared within {@code timeout}
     */
    public synchronized boolean awaitAfter(long mark, Pattern regex, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long skip = Math.max(0, mark - dropped);
            if (lines.stream().skip(skip).anyMatch(l -> regex.matcher(l).find())) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** True when some retained line matches {@code regex} (found anywhere in the line). */
    public synchronized boolean contains(Pattern regex) {
        return lines.stream().anyMatch(l -> regex.matcher(l).find());
    }

    /**
     * Waits until a line matching {@code regex} has been printed.
     *
     * @return true when it appeared within {@code timeout}
     */
    public synchronized boolean await(Pattern regex, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!contains(regex)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public String toString() {
        return tail(MAX_LINES);
    }
}
