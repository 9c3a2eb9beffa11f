package io.natsmigrate.reliable;

/** An optimistic update lost to other writers on every allowed attempt. */
public class ConflictRetriesExhaustedException extends ReliablePublishException {

    public ConflictRetriesExhaustedException(String subject, int attempts, ExpectationFailedException last) {
        super("The update of \"" + subject + "\" lost to concurrent writers " + attempts + " times in a row. Raise"
                + " OptimisticUpdater's maxAttempts, or reduce contention on the subject", subject, null, attempts, last);
    }
}
