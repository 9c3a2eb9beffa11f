/**
 * Msg-Id dedup publisher with retries and a bounded in-flight window, expected-sequence (CAS) helpers, atomic batch publish.
 */
package io.natsmigrate.reliable;
