package io.natsmigrate.core;

import io.nats.client.Connection;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.testkit.MigrationTraffic;
import io.natsmigrate.testkit.NatsServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The offline move (snapshot and restore, no bridge) between two separate servers with a service running. */
class OfflineMoveRecipeTest {

    @Test
    void theCopyWaitsForThePauseAndTheServiceGoesOnOnTheNewSystemWithNothingLostOrTwice() throws Exception {
        try (NatsServer oldSystem = NatsServer.start();
             NatsServer newSystem = NatsServer.start();
             Connection source = oldSystem.connect();
             Connection target = newSystem.connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS")
                    .subjects("ORDERS.>").build());
            source.jetStreamManagement().addOrUpdateConsumer("ORDERS", ConsumerConfiguration.builder()
                    .durable("billing").ackPolicy(AckPolicy.Explicit).build());
            MigrationPlan plan = OfflineMoveRecipe.named("offline").source(source).target(target).stream("ORDERS")
                    .quietPeriod(Duration.ofSeconds(1)).pauseTimeout(Duration.ofSeconds(60)).build();
            try (MigrationTraffic traffic = MigrationTraffic.on(source).publisher("ORDERS.new", "order")
                    .service("ORDERS", "billing").rate(2_000).start();
                 MigrationRunner runner = plan.runner(target).build()) {
                runner.applyTo(OfflineMoveRecipe.PREPARE);
                CompletableFuture<ApplyResult> move = CompletableFuture.supplyAsync(
                        () -> runner.applyTo(OfflineMoveRecipe.CUTOVER));
                long before = traffic.published();
                await().atMost(Duration.ofSeconds(20)).until(() -> traffic.published() > before + 500);
                traffic.hold("billing"); // the service stops; what is published from now on stays unprocessed
                long held = traffic.published();
                await().atMost(Duration.ofSeconds(20)).until(() -> traffic.published() > held + 500);
                assertThat(move).as("the copy waits while the old system takes messages").isNotDone();

                traffic.stopPublishing();
                move.get(60, TimeUnit.SECONDS);

                long published = traffic.published();
                assertThat(target.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount())
                        .isEqualTo(published);
                assertThat(target.jetStreamManagement().getConsumerInfo("ORDERS", "billing").getAckFloor()
                        .getStreamSequence()).isEqualTo(source.jetStreamManagement()
                        .getConsumerInfo("ORDERS", "billing").getAckFloor().getStreamSequence());
                assertThat(traffic.unprocessed()).as("left for the new system").isPositive();

                traffic.moveServicesTo(target);
                traffic.release("billing");
                await().atMost(Duration.ofSeconds(30)).until(() -> traffic.unprocessed() == 0);
                assertThat(traffic.duplicates()).isZero();
                assertThat(traffic.processedAfterMove("billing")).isPositive();
                System.out.printf("offline move: %d published, %d processed on the old system, %d on the new%n",
                        published, traffic.processedBeforeMove(), traffic.processedAfterMove());

                runner.rollbackTo(OfflineMoveRecipe.QUIESCED);
                assertThat(target.jetStreamManagement().getStreamNames()).doesNotContain("ORDERS");
                assertThat(source.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount())
                        .as("the old stream is never changed").isEqualTo(published);
            }
        }
    }

    @Test
    void prepareNamesEveryProblemAndItsFix() throws Exception {
        try (NatsServer oldSystem = NatsServer.start();
             NatsServer newSystem = NatsServer.start();
             Connection source = oldSystem.connect();
             Connection target = newSystem.connect()) {
            source.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS")
                    .subjects("ORDERS.>").build());
            target.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS")
                    .subjects("ORDERS.>").build());
            target.jetStream().publish("ORDERS.x", new byte[0]);
            try (MigrationRunner runner = OfflineMoveRecipe.named("bad").source(source).target(target)
                    .stream("ORDERS").stream("GHOST").build().runner(target).build()) {
                assertThatThrownBy(() -> runner.applyTo(OfflineMoveRecipe.PREPARE))
                        .isInstanceOf(StepFailedException.class)
                        .hasMessageContaining("Stream GHOST does not exist on the old system")
                        .hasMessageContaining("Stream ORDERS already exists on the new system with other messages");
            }
            assertThatThrownBy(() -> OfflineMoveRecipe.named("empty").source(source).target(target).build())
                    .isInstanceOf(InvalidPlanException.class).hasMessageContaining("call stream(name)");
        }
    }
}
