package io.natsmigrate.testkit;

import io.nats.client.Connection;
import io.nats.client.Message;

import java.io.IOException;
import java.time.Duration;

/** Checks shared by the leaf node topologies. */
final class LeafDomain {

    private LeafDomain() {
    }

    /** Whether the JetStream API of {@code domain} answers a request sent on {@code system}. */
    static boolean answersOn(NatsServer system, String domain) throws IOException {
        try (Connection nc = system.connect()) {
            Message reply = nc.request("$JS." + domain + ".API.INFO", new byte[0], Duration.ofMillis(500));
            return reply != null && !reply.isStatusMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
