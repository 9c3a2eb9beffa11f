package io.natsmigrate.primitives;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonThreadsTest {

    @Test
    void threadsAreNamedDaemonsThatRunTheirTask() throws Exception {
        CompletableFuture<String> ran = new CompletableFuture<>();
        Thread t = DaemonThreads.named("natsmigrate-test").newThread(() -> ran.complete(Thread.currentThread().getName()));
        assertThat(t.isDaemon()).isTrue();
        t.start();
        assertThat(ran.get(5, TimeUnit.SECONDS)).isEqualTo("natsmigrate-test");
        assertThat(DaemonThreads.create(() -> { }, "x").isDaemon()).isTrue();
        assertThatThrownBy(() -> DaemonThreads.named(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> DaemonThreads.create(null, "x")).isInstanceOf(NullPointerException.class)
                .hasMessage("task");
    }
}
