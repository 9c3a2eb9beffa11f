package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.CrossSystemTopology;
import io.natsmigrate.testkit.MigrationTraffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static io.natsmigrate.testkit.NatsAssertions.assertThatConsumer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cross-system recipe with each retention of the old stream (work-queue targets take the purge path, since
 * their consumers must deliver all), and a consumer move rolled back and applied again.
 */
class CrossSystemRetentionTest {

    @ParameterizedTest
    @EnumSource(value = RetentionPolicy.class, names = {"Limits", "WorkQueue"})
    void movesWithNothingLostOrProcessedTwice(RetentionPolicy retention) throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("WORK.>").start();
             Connection source = topo.source().connect();
             Connection target = topo.target().connect()) {
            MigrationTraffic traffic = migrate(topo, source, target, retention, false);
            assertThat(traffic.unprocessed()).isZero();
            assertThat(traffic.duplicates()).isZero();
            assertThat(target.jetStreamManagement().getStreamInfo("WORK").getConfiguration().getRetentionPolicy())
                    .isEqualTo(retention);
        }
    }

    @Test
    void aConsumerMoveRolledBackResumesTheOldConsumerAndCanBeAppliedAgain() throws Exception {
        try (CrossSystemTopology topo = CrossSystemTopology.builder().isolate("WORK.>").start();
             Connection source = topo.source().connect();
             Connection target = topo.target().connect()) {
            MigrationTraffic traffic = migrate(topo, source, target, RetentionPolicy.Interest, true);
            assertThat(traffic.unprocessed()).isZero();
            assertThat(traffic.duplicates()).isZero();
        }
    }

    /** Runs the whole recipe under live traffic and returns the drained, closed traffic's ledger. */
    private static MigrationTraffic migrate(CrossSystemTopology topo, Connection source, Connection target,
                                            RetentionPolicy retention, boolean rollBackOnce) throws Exception {
        JetStreamManagement sjsm = source.jetStreamManagement();
        sjsm.addStream(StreamConfiguration.builder().name("WORK").subjects("WORK.>").retentionPolicy(retention)
                .maxAge(Duration.ofHours(1)).build());
        sjsm.addOrUpdateConsumer("WORK", ConsumerConfiguration.builder().durable("WORKER")
                .ackPolicy(AckPolicy.Explicit).build());
        MigrationTraffic traffic = MigrationTraffic.on(source).publisher("WORK.job", "job")
                .service("WORK", "WORKER").start();
        try (traffic) {
            await().atMost(Duration.ofSeconds(20)).until(() -> traffic.processed("WORKER") > 100);
            MigrationPlan plan = CrossSystemRecipe.named("work").source(source).target(target)
                    .leafDomain(topo.leafDomain()).stream("WORK", "WORKER").build();
            try (MigrationRunner runner = plan.runner(target).build()) {
                runner.applyTo(CrossSystemRecipe.TARGET);
                if (rollBackOnce) {
                    runner.applyTo(CrossSystemRecipe.CONSUMERS);
                    runner.rollbackTo(CrossSystemRecipe.TARGET);
                    // The old consumer runs again: the worker, still bound to it, goes on processing there.
                    long before = traffic.processed("WORKER");
                    await().atMost(Duration.ofSeconds(20)).until(() -> traffic.processed("WORKER") > before + 100);
                    assertThat(target.jetStreamManagement().getConsumerNames("WORK")).doesNotContain("WORKER");
                }
                runner.applyTo(CrossSystemRecipe.CONSUMERS);
                traffic.moveServicesTo(target);
                await().atMost(Duration.ofSeconds(20)).until(() -> traffic.processedAfterMove("WORKER") > 100);
                runner.applyTo(CrossSystemRecipe.PUBLISHERS);
                traffic.movePublishersTo(target);
                await().atMost(Duration.ofSeconds(20)).until(() -> traffic.publishedOn(target) > 100);
                runner.applyTo(CrossSystemRecipe.BRIDGE_REMOVED, ApplyOptions.builder().confirmAllIrreversible()
                        .build());
            }
            traffic.stopPublishing();
            await().atMost(Duration.ofSeconds(30)).until(() -> traffic.unprocessed() == 0);
            assertThatConsumer(target.jetStreamManagement(), "WORK", "WORKER").within(Duration.ofSeconds(10))
                    .hasNumAckPending(0);
        }
        System.out.printf("cross-system %s%s: published %d, processed %d old / %d new, lost %d, twice %d%n",
                retention, rollBackOnce ? " with a rollback" : "", traffic.published(),
                traffic.processedBeforeMove(), traffic.processedAfterMove(), traffic.unprocessed(),
                traffic.duplicates());
        return traffic;
    }
}
