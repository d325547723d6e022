/**
 * Demo data: a realistic prefecture-level city (苏州市) with about 300 outfalls of every type, its parties and a
 * user for each role, plus a neighbouring city (无锡市) to show that jurisdictions do not see each other.
 * Loaded only with {@code gongzhi.demo.enabled=true}; never by default.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Demo data")
package org.gongzhi.demo;
