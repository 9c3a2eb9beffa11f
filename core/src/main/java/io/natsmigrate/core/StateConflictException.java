package io.natsmigrate.core;

/**
 * The plan's recorded state changed under this instance (its compare-and-set write lost): another instance took
 * over, for example after this one's lease expired. Nothing more was changed; re-run to converge.
 */
public class StateConflictException extends MigrationException {

    public StateConflictException(String plan, String detail) {
        super("The recorded state of plan " + plan + " was changed by another instance (" + detail + "). Stopped;"
                + " re-run apply to converge");
    }
}
