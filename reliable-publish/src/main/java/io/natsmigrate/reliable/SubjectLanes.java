package io.natsmigrate.reliable;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Per-subject FIFOs for {@link Ordering#PER_SUBJECT}: at most one message of a subject in flight, the next sent
 * when it finishes. A lane whose queue runs empty is removed, so a publisher that sees many distinct subjects keeps
 * memory only for the subjects with messages in flight.
 *
 * @param <T> the message on its way
 */
final class SubjectLanes<T> {

    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Consumer<T> send;

    SubjectLanes(Consumer<T> send) {
        this.send = send;
    }

    /** Sends {@code message} now if its subject has nothing in flight, else queues it behind the others. */
    void offer(String subject, T message) {
        boolean sendNow;
        while (true) {
            Lane lane = lanes.computeIfAbsent(subject, s -> new Lane());
            synchronized (lane) {
                if (lane.removed) {
                    continue; // lost a race with the lane's removal: take the new one
                }
                sendNow = !lane.busy;
                if (sendNow) {
                    lane.busy = true;
                } else {
                    lane.queue.addLast(message);
                }
            }
            break;
        }
        if (sendNow) {
            send.accept(message);
        }
    }

    /** The subject's message in flight finished: send its next one, or drop the idle lane. */
    void finished(String subject) {
        Lane lane = lanes.get(subject);
        if (lane == null) {
            return;
        }
        T next;
        synchronized (lane) {
            next = lane.queue.pollFirst();
            lane.busy = next != null;
            if (next == null) {
                lane.removed = true;
                lanes.remove(subject, lane);
            }
        }
        if (next != null) {
            send.accept(next);
        }
    }

    /** Subjects with a lane now (for tests and stats). */
    int size() {
        return lanes.size();
    }

    private final class Lane {
        final ArrayDeque<T> queue = new ArrayDeque<>();
        boolean busy;
        boolean removed;
    }
}
