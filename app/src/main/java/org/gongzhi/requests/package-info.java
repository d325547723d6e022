/**
 * Public requests (诉求, 接诉即办): a configurable service catalogue, intake from outfall pages, a general report page
 * and Open311 GeoReport v2, routing to the bureau of the place, deadlines in working days or hours, the lifecycle
 * received → dispatched → in progress → responded → closed, the requester's follow-up link, rating and one reopening,
 * duplicates and merging, and metrics (response, resolution, satisfaction). Rules: 北京市接诉即办工作条例 (2021) and
 * practice in other-systems.md §2; Open311 in anchors-and-standards.md §4.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Requests")
package org.gongzhi.requests;
