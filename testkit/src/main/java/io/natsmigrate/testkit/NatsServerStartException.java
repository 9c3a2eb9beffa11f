package io.natsmigrate.testkit;

/**
 * A nats-server process did not come up: bad configuration, a port already in use, a binary that does not
 * run, or no readiness within the start timeout. The message ends with the server's own output, which
 * names the cause.
 */
public class NatsServerStartException extends RuntimeException {

    private final String serverOutput;

    public NatsServerStartException(String message, String serverOutput, Throwable cause) {
        super(message + "\n--- nats-server output ---\n" + serverOutput, cause);
        this.serverOutput = serverOutput;
    }

    /** What the server printed before it failed (its stderr, where it logs). */
    public String serverOutput() {
        return serverOutput;
    }
}
