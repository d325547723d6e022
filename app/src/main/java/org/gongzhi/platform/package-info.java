/**
 * Platform: regions (GB/T 2260), water bodies, organizations, users and jurisdictions, audit log, stored files,
 * the embedded database, security and the web error model. Other modules use only the types in this package.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform")
package org.gongzhi.platform;
