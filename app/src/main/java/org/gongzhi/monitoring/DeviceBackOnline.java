package org.gongzhi.monitoring;

import java.time.Instant;

/**
 * A data logger that was offline talks again; its open offline alert is cleared. Published once per outage, inside
 * the clearing transaction (listeners run after commit).
 *
 * @param offlineSince when the alert was raised
 * @param at           when the check cleared it
 */
public record DeviceBackOnline(long alertId, String mn, long outfallId, Instant offlineSince, Instant at) {
}
