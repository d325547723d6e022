/**
 * Online monitoring (在线监测): data loggers (数采仪) and their registry, the HJ 212 TCP gateway, the batch writer
 * and the measurement store, host commands, and the pages and REST API over them. Other modules use only the
 * public types of this package: {@link org.gongzhi.monitoring.MeasurementsStored} (published after every commit,
 * also when an import of manual or laboratory results is accepted), {@link org.gongzhi.monitoring.DeviceWentOffline}
 * and {@link org.gongzhi.monitoring.DeviceBackOnline} (once per outage of a data logger), and
 * {@link org.gongzhi.monitoring.MeasurementKind}. See docs/monitoring.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Monitoring")
package org.gongzhi.monitoring;
