package io.natsmigrate.samples;

import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;
import io.natsmigrate.reliable.OptimisticUpdater;
import io.natsmigrate.reliable.ReliablePublisher;
import io.natsmigrate.reliable.StoredMessage;
import io.natsmigrate.reliable.UpdateResult;
import io.natsmigrate.testkit.NatsServer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An order aggregate kept as events on {@code orders.<id>}: four writers add items at the same time, each write
 * expecting the subject's last sequence (append with expected version); conflicts are retried.
 */
final class OptimisticConcurrencySample implements Sample {

    private static final int WRITERS = 4;
    private static final int ITEMS_PER_WRITER = 100;

    @Override
    public String name() {
        return "optimistic-concurrency";
    }

    @Override
    public String description() {
        return "4 writers add 100 items each to one order aggregate with expected-last-subject-sequence writes";
    }

    @Override
    public SampleReport run(PrintStream out) throws Exception {
        PhaseTimer phases = new PhaseTimer(out);
        phases.begin("start nats-server");
        try (NatsServer server = NatsServer.start(); Connection nc = server.connect();
             ReliablePublisher publisher = ReliablePublisher.builder(nc).build()) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.*").build());
            OptimisticUpdater updater = OptimisticUpdater.builder(publisher, nc).maxAttempts(1_000).build();
            phases.begin("contending writers");
            AtomicLong conflicts = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < ITEMS_PER_WRITER; i++) {
                        String item = "w" + writer + "-item" + i;
                        UpdateResult r = updater.update("orders.42", last -> addItem(last.map(StoredMessage::data)
                                .orElse(null), item));
                        conflicts.addAndGet(r.conflicts());
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
            pool.shutdown();
            phases.begin("check the aggregate");
            String state = new String(nc.jetStreamManagement().getLastMessage("ORDERS", "orders.42").getData(),
                    StandardCharsets.UTF_8);
            long items = Long.parseLong(state.substring(0, state.indexOf(' ')));
            long events = nc.jetStreamManagement().getStreamInfo("ORDERS").getStreamState().getMsgCount();
            long expected = (long) WRITERS * ITEMS_PER_WRITER;
            out.println("    order 42 holds " + items + " items in " + events + " events; " + conflicts.get()
                    + " conflicting writes were retried");
            // "lost": items some writer added that the aggregate does not count (a lost update)
            return new SampleReport(expected, items, Math.max(0, events - expected), Math.max(0, expected - items),
                    phases.phases());
        }
    }

    /** The aggregate's state is "<item count> <last item>"; each event is the new state. */
    private static byte[] addItem(byte[] current, String item) {
        long count = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.UTF_8).split(" ")[0]);
        return ((count + 1) + " " + item).getBytes(StandardCharsets.UTF_8);
    }
}
