/**
 * Approval (审批) and registration (登记) of outfalls under the 2024 Measures, on statutory deadlines counted in
 * working days: applications, completeness check, review with paused clocks, decisions and their documents,
 * registrations, and the working-day calendar they run on.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Approvals and registrations")
package org.gongzhi.approval;
