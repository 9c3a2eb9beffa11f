/**
 * Not API: classes public only because other natsmigrate modules share them. They may change or go in any release
 * without notice; applications should not call them. Every package of natsmigrate named {@code internal} follows
 * this rule.
 */
package io.natsmigrate.core.internal;
