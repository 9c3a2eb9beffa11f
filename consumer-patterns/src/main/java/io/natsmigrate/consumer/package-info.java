/**
 * Dead-letter queue from MAX_DELIVERIES and MSG_TERMINATED advisories, redrive, durable consumer runner, idempotent handling, cutover helpers.
 */
package io.natsmigrate.consumer;
