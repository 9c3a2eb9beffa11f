package io.natsmigrate.primitives;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a request that timed out because the user may not make it from one that timed out for any other reason. A
 * denied request is never answered, so without this a caller would retry it until its deadline.
 *
 * <p>nats-server reports a violation only as a protocol {@code -ERR}, which jnats passes to the connection's
 * {@link ErrorListener} and keeps as the connection's last error. The last error alone loses a violation as soon as
 * another one follows (a denied inbox subscription hidden by a denied lookup a moment later), so install the
 * recording listener when you connect; natsmigrate then sees every violation:
 *
 * <pre>{@code
 * Connection nc = Nats.connect(Options.builder().server(url)
 *         .errorListener(PermissionViolations.recording(myListener))   // or recording() without one
 *         .build());
 * }</pre>
 *
 * Without it natsmigrate falls back to the last error, which is right whenever there is one violation at a time.
 */
public final class PermissionViolations {

    private static final int KEPT = 64;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Map<Connection, Deque<Recorded>> RECORDED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private PermissionViolations() {
    }

    private record Recorded(long sequence, PermissionViolation violation) {
    }

    /** Where the connection's error reports stand. */
    public record Mark(long sequence, long errors, String lastError) {
    }

    /** An error listener that records permission violations and does nothing else. */
    public static ErrorListener recording() {
        return recording(new ErrorListener() {
        });
    }

    /** {@code delegate}, with permission violations recorded for natsmigrate first. */
    public static ErrorListener recording(ErrorListener delegate) {
        java.util.Objects.requireNonNull(delegate, "delegate");
        return (ErrorListener) Proxy.newProxyInstance(ErrorListener.class.getClassLoader(),
                new Class<?>[]{ErrorListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return objectMethod(proxy, method, args, delegate);
                    }
                    if (method.getName().equals("errorOccurred") && args != null && args.length == 2
                            && args[0] instanceof Connection c && args[1] instanceof String error) {
                        record(c, error);
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The connection's error reports now. */
    public static Mark mark(Connection nc) {
        return new Mark(SEQUENCE.get(), nc.getStatistics().getErrs(), nc.getLastError());
    }

    /** The first permissions violation the server reported on {@code nc} since {@code mark}, if any. */
    public static Optional<PermissionViolation> since(Connection nc, Mark mark) {
        return since(nc, mark, v -> true);
    }

    /**
     * The first violation of {@code kind} on exactly {@code subject} reported on {@code nc} since {@code mark}:
     * what tells a caller that its own publish was denied while other threads share the connection.
     */
    public static Optional<PermissionViolation> since(Connection nc, Mark mark, PermissionViolation.Kind kind,
                                                      String subject) {
        return since(nc, mark, v -> v.kind() == kind && v.subject().equals(subject));
    }

    private static Optional<PermissionViolation> since(Connection nc, Mark mark,
                                                       java.util.function.Predicate<PermissionViolation> wanted) {
        for (Recorded r : recorded(nc)) {
            if (r.sequence() > mark.sequence() && wanted.test(r.violation())) {
                return Optional.of(r.violation());
            }
        }
        // jnats sets the last error on its reader thread before it reads anything after the -ERR, while the
        // recording listener runs later on an executor: after a flush the last error is already there.
        String last = nc.getLastError();
        boolean newError = nc.getStatistics().getErrs() > mark.errors()
                || (last != null && !last.equals(mark.lastError()));
        return newError ? PermissionViolation.parse(last).filter(wanted) : Optional.empty();
    }

    /**
     * Every violation known on {@code nc}: the recorded ones (with the recording listener), else the last error's.
     */
    public static List<PermissionViolation> known(Connection nc) {
        List<PermissionViolation> out = new ArrayList<>();
        recorded(nc).forEach(r -> out.add(r.violation()));
        if (out.isEmpty()) {
            PermissionViolation.parse(nc.getLastError()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Throws {@link PermissionDeniedException} when the server reported a permissions violation since
     * {@code mark}.
     */
    public static void throwIfDeniedSince(Connection nc, Mark mark, Throwable cause) {
        Optional<PermissionViolation> v = since(nc, mark);
        if (v.isPresent()) {
            throw new PermissionDeniedException(v.get(), cause);
        }
    }

    private static void record(Connection nc, String error) {
        PermissionViolation.parse(error).ifPresent(v -> {
            synchronized (RECORDED) {
                Deque<Recorded> d = RECORDED.computeIfAbsent(nc, k -> new ArrayDeque<>());
                d.addLast(new Recorded(SEQUENCE.incrementAndGet(), v));
                while (d.size() > KEPT) {
                    d.removeFirst();
                }
            }
        });
    }

    private static List<Recorded> recorded(Connection nc) {
        synchronized (RECORDED) {
            Deque<Recorded> d = RECORDED.get(nc);
            return d == null ? List.of() : List.copyOf(d);
        }
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, ErrorListener delegate) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "PermissionViolations.recording(" + delegate + ")";
        };
    }
}
