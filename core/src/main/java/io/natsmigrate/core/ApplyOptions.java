package io.natsmigrate.core;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** Options of an apply or rollback: which irreversible steps the caller confirms. Immutable. */
public final class ApplyOptions {

    private static final ApplyOptions NONE = new ApplyOptions(Set.of(), false);

    private final Set<String> confirmed;
    private final boolean confirmAll;

    private ApplyOptions(Set<String> confirmed, boolean confirmAll) {
        this.confirmed = Set.copyOf(confirmed);
        this.confirmAll = confirmAll;
    }

    /** No confirmations. */
    public static ApplyOptions defaults() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    boolean isConfirmed(String step) {
        return confirmAll || confirmed.contains(step);
    }

    /** Builds {@link ApplyOptions}. */
    public static final class Builder {
        private final Set<String> confirmed = new LinkedHashSet<>();
        private boolean all;

        /** Confirms applying the irreversible step named {@code step}. */
        public Builder confirmIrreversible(String step) {
            confirmed.add(Objects.requireNonNull(step, "step"));
            return this;
        }

        /** Confirms every irreversible step up to the target. */
        public Builder confirmAllIrreversible() {
            this.all = true;
            return this;
        }

        public ApplyOptions build() {
            return new ApplyOptions(confirmed, all);
        }
    }
}
