/**
 * Compliance (达标判定): limits (排放限值) and the national standard packs as versioned data (GB 18918-2002,
 * GB 8978-1996 Table 4, GB 3838-2002), assignment of a pack and grade to an outfall, outfall-specific limits, the
 * evaluator that judges measurements against limits (exceedance, violation, insufficient data, chronic and TRC
 * rolling windows), and findings with their lifecycle. Evaluates every batch of stored measurements after commit
 * ({@link org.gongzhi.monitoring.MeasurementsStored}); reads measurements only through
 * {@link org.gongzhi.monitoring.MeasurementQueries} and outfalls through the ledger's API. See docs/compliance.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Compliance")
package org.gongzhi.compliance;
