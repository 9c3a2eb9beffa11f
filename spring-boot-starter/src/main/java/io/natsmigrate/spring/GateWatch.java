package io.natsmigrate.spring;

import io.natsmigrate.core.GateProgress;
import io.natsmigrate.core.MigrationListener;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers the gates the runner waits on now, with their last figure, for the health indicator and endpoint. */
public final class GateWatch implements MigrationListener {

    private final Map<String, GateProgress> waiting = new ConcurrentHashMap<>();

    @Override
    public void gateWaiting(GateProgress progress) {
        waiting.put(progress.gate(), progress);
    }

    @Override
    public void gatePassed(GateProgress progress) {
        waiting.remove(progress.gate());
    }

    @Override
    public void lockReleased(String plan, String instanceId) {
        waiting.clear();
    }

    /** The gates waited on now. */
    public List<GateProgress> waiting() {
        return List.copyOf(waiting.values());
    }
}
