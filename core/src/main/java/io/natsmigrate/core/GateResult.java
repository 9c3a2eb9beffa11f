package io.natsmigrate.core;

/**
 * One evaluation of a {@link Gate}.
 *
 * @param passed whether the precondition holds
 * @param detail what was seen, e.g. {@code "num_pending=12, num_ack_pending=3"}
 */
public record GateResult(boolean passed, String detail) {

    public static GateResult pass(String detail) {
        return new GateResult(true, detail);
    }

    public static GateResult fail(String detail) {
        return new GateResult(false, detail);
    }
}
