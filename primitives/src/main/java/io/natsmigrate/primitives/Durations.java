package io.natsmigrate.primitives;

import java.time.Duration;
import java.util.Objects;

/** The one check of duration options (timeouts, windows, periods) that every builder uses. */
public final class Durations {

    private Durations() {
    }

    /**
     * {@code value} when it is longer than zero.
     *
     * @param what the option's name, for the message
     * @throws NullPointerException     naming {@code what} when {@code value} is null
     * @throws IllegalArgumentException naming {@code what} and the value when it is zero or negative
     */
    public static Duration requirePositive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }
}
