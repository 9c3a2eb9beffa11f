package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** What a step runs with: the connection, a management context, and counters of the API calls it made. */
public final class StepContext {

    private final Connection connection;
    private final JetStreamManagement jsm;
    private final String plan;
    private final String instanceId;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    StepContext(Connection connection, String plan, String instanceId) throws IOException {
        this.connection = connection;
        this.jsm = connection.jetStreamManagement();
        this.plan = plan;
        this.instanceId = instanceId;
    }

    public Connection connection() {
        return connection;
    }

    public JetStreamManagement jsm() {
        return jsm;
    }

    public String plan() {
        return plan;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Steps call this for each read request they make (for the API request counts in reports). */
    public void countRead() {
        reads.incrementAndGet();
    }

    /** Steps call this for each write request they make. */
    public void countWrite() {
        writes.incrementAndGet();
    }

    /** Read requests made so far. */
    public long reads() {
        return reads.get();
    }

    /** Write requests made so far. */
    public long writes() {
        return writes.get();
    }
}
