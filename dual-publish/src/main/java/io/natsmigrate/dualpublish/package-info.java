/**
 * Publishing to the legacy path and JetStream during the overlap, live mode switching from the plan's phase, parity verification.
 */
package io.natsmigrate.dualpublish;
