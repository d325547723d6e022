/**
 * Field supervision (现场监管): 排查整治 campaigns over 查、测、溯、治、管 (国办函〔2022〕17号) with three-level surveys,
 * sampling, tracing and 一口一策 remediation plans; on-site inspections (现场检查) with checklists, findings,
 * rectification orders and enforcement case records; and the responsible party's duties (patrol and maintenance
 * logs, 规范化建设). Moves outfalls through the ledger's lifecycle only through {@link org.gongzhi.ledger.Ledger};
 * reads lab results through {@link org.gongzhi.monitoring.MeasurementQueries} and open findings through
 * {@link org.gongzhi.compliance.OpenFindings}. See docs/supervision.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Supervision")
package org.gongzhi.supervision;
