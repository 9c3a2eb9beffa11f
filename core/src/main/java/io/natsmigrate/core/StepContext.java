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
    private final AtomicLong reads;
    private final AtomicLong writes;

    StepContext(Connection connection, String plan, String instanceId) throws IOException {
        this(connection, connection.jetStreamManagement(), plan, instanceId, new AtomicLong(), new AtomicLong());
    }

    private StepContext(Connection connection, JetStreamManagement jsm, String plan, String instanceId,
                        AtomicLong reads, AtomicLong writes) {
        this.connection = connection;
        this.jsm = jsm;
        this.plan = plan;
        this.instanceId = instanceId;
        this.reads = reads;
        this.writes = writes;
    }

    /** The same plan and counters on another system (connection and JetStream domain or prefix). */
    StepContext on(Connection other, JetStreamManagement otherJsm) {
        return new StepContext(other, otherJsm, plan, instanceId, reads, writes);
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
