package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.core.ApplyOptions;
import io.natsmigrate.core.CrossSystemRecipe;
import io.natsmigrate.core.MigrationPlan;
import io.natsmigrate.core.MigrationRunner;
import io.natsmigrate.testkit.CrossSystemTopology;
import io.natsmigrate.testkit.MigrationTraffic;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The cross-system walkthrough: stream {@code QUEUE} (interest retention) with consumers {@code ORDERS} and
 * {@code SHIPMENTS} moves from a self-managed system to another one through a leaf node in JetStream domain
 * {@code leaf}, with the publisher and both services running throughout and consumer positions carried over.
 */
final class CrossSystemSample implements Sample {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "cross-system";
    }

    @Override
    public String description() {
        return "QUEUE with ORDERS and SHIPMENTS moves to another system through a leaf node (domain leaf),"
                + " publisher and services running throughout";
    }

    @Override
    public SampleReport run(PrintStream out) throws Exception {
        PhaseTimer phases = new PhaseTimer(out);
        phases.begin("start old system, new system and leaf node (domain leaf)");
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("QUEUE.>").start();
             Connection oldSystem = topo.source().connect();
             Connection newSystem = topo.target().connect()) {
            JetStreamManagement jsm = oldSystem.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("QUEUE").subjects("QUEUE.>")
                    .retentionPolicy(RetentionPolicy.Interest).maxAge(Duration.ofDays(1)).build());
            for (String[] c : new String[][]{{"ORDERS", "QUEUE.orders"}, {"SHIPMENTS", "QUEUE.shipments"}}) {
                jsm.addOrUpdateConsumer("QUEUE", ConsumerConfiguration.builder().durable(c[0]).filterSubject(c[1])
                        .ackPolicy(AckPolicy.Explicit).build());
            }
            MigrationTraffic traffic = MigrationTraffic.on(oldSystem)
                    .publisher("QUEUE.orders", "order")
                    .relay("QUEUE", "ORDERS", "QUEUE.shipments", id -> id.replace("order", "shipment"))
                    .service("QUEUE", "SHIPMENTS")
                    .start();
            try (traffic) {
                phases.begin("publisher and services on the old system");
                Wait.until(TIMEOUT, () -> traffic.processedBeforeMove() > 200, "the services to process 200 messages");
                out.println("    " + traffic.progress());

                MigrationPlan plan = CrossSystemRecipe.named("queue-to-new-system").source(oldSystem)
                        .target(newSystem).leafDomain(topo.leafDomain()).stream("QUEUE", "ORDERS", "SHIPMENTS")
                        .build();
                try (MigrationRunner runner = plan.runner(newSystem).instanceId("sample").build()) {
                    phases.begin("bridge and target (preflight, clone on the leaf, target sourcing it)");
                    runner.applyTo(CrossSystemRecipe.TARGET);
                    out.println("    " + traffic.progress() + "; target source lag "
                            + newSystem.jetStreamManagement().getStreamInfo("QUEUE").getSourceInfos().get(0).getLag());

                    phases.begin("consumers move, positions carried over");
                    runner.applyTo(CrossSystemRecipe.CONSUMERS);
                    traffic.moveServicesTo(newSystem);
                    Wait.until(TIMEOUT, () -> traffic.processedAfterMove() > 200, "the services to process 200"
                            + " messages on the new system");
                    out.println("    " + traffic.progress());

                    phases.begin("publishers move, target owns QUEUE.>");
                    runner.applyTo(CrossSystemRecipe.PUBLISHERS);
                    traffic.movePublishersTo(newSystem);
                    Wait.until(TIMEOUT, () -> traffic.publishedOn(newSystem) > 200, "200 publishes on the new system");
                    out.println("    " + traffic.progress());

                    phases.begin("bridge removed (irreversible, confirmed)");
                    runner.applyTo(CrossSystemRecipe.BRIDGE_REMOVED,
                            ApplyOptions.builder().confirmAllIrreversible().build());
                    out.println("    plan at " + runner.state().phase() + "; target sources "
                            + newSystem.jetStreamManagement().getStreamInfo("QUEUE").getConfiguration().getSources()
                            + "; leaf clone " + (leafCloneGone(oldSystem) ? "deleted" : "STILL THERE"));
                }
                phases.begin("drain");
                traffic.stopPublishing();
                Wait.until(TIMEOUT, () -> traffic.unprocessed() == 0, "every published message to be processed");
                out.println("    " + traffic.progress());
            }
            return new SampleReport(traffic.published(), traffic.distinctProcessed(), traffic.duplicates(),
                    traffic.unprocessed(), phases.phases());
        }
    }

    private static boolean leafCloneGone(Connection nc) throws Exception {
        try {
            nc.jetStreamManagement(JetStreamOptions.builder().domain("leaf").build()).getStreamInfo("QUEUE");
            return false;
        } catch (JetStreamApiException e) {
            return true;
        }
    }
}
