package io.natsmigrate.testkit;

import io.nats.client.Connection;

import java.io.IOException;
import java.util.List;

/**
 * What every testkit topology is: servers started together and closed together, with one connection to what a
 * test talks to by default. Implemented by {@link NatsServer}, {@link NatsCluster}, {@link HubAndLeaf} and
 * {@link CrossSystemTopology}.
 */
public interface NatsTopology extends AutoCloseable {

    /** Every server of the topology, in start order. */
    List<NatsServer> servers();

    /**
     * Connects to the topology's main system: the server, the whole cluster, the hub, or (cross-system) the new
     * system.
     */
    Connection connect() throws IOException, InterruptedException;

    /** The last {@code lines} of every server's log, each under its name: what a failing test shows. */
    default String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        for (NatsServer s : servers()) {
            sb.append("--- ").append(s.name()).append(" ---\n").append(s.log().tail(lines)).append('\n');
        }
        return sb.toString();
    }

    /** Stops every server and removes their temporary files. */
    @Override
    void close();
}
