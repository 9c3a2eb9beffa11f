package io.natsmigrate.testkit;

import io.nats.client.Connection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every topology answers the same questions the same way. */
class NatsTopologyTest {

    @Test
    void eachTopologyListsItsServersConnectsToItsMainSystemAndShowsEveryLog() throws Exception {
        try (NatsServer single = NatsServer.start();
             HubAndLeaf hubAndLeaf = HubAndLeaf.builder().start();
             CrossSystemTopology crossSystem = CrossSystemTopology.builder().start()) {
            List<NatsTopology> all = List.of(single, hubAndLeaf, crossSystem);
            assertThat(single.servers()).containsExactly(single);
            assertThat(hubAndLeaf.servers()).containsExactly(hubAndLeaf.hub(), hubAndLeaf.leaf());
            assertThat(crossSystem.servers()).containsExactly(crossSystem.source(), crossSystem.target(),
                    crossSystem.leaf());
            for (NatsTopology t : all) {
                try (Connection nc = t.connect()) {
                    assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                    assertThat(t.servers()).anySatisfy(s -> assertThat(nc.getServerInfo().getPort())
                            .isEqualTo(s.port()));
                }
                assertThat(t.logTails(5)).contains("--- " + t.servers().get(0).name() + " ---");
            }
            try (Connection nc = crossSystem.connect()) {
                assertThat(nc.getServerInfo().getPort()).isEqualTo(crossSystem.target().port());
            }
        }
    }
}
