package org.gongzhi.monitoring;

import java.time.Instant;

/**
 * A data logger (数采仪) stopped talking: its last contact is older than offline-after-intervals × its interval.
 * Published once per outage, inside the transaction that records the alert, so that
 * {@code @ApplicationModuleListener}s (the compliance inbox) run after commit.
 *
 * @param lastContact the last packet received (or its registration, if it never sent one)
 * @param at          when the check found it offline
 */
public record DeviceWentOffline(long alertId, String mn, long outfallId, Instant lastContact, Instant at) {
}
