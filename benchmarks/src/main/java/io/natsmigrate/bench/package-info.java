/**
 * Side-by-side measurements against plain jnats in the same run; each prints a BENCH summary line.
 */
package io.natsmigrate.bench;
