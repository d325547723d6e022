/**
 * Public disclosure (信息公开): every outfall's public page at a stable URL, its QR code and printable signboard
 * (标识牌), and open data (public ledger fields and daily monitoring summaries). 办法: the responsible party discloses
 * outfall information "through signboards, display screens, QR codes or online media", and the public is encouraged
 * to supervise (outfall-regulation.md §1.12, §4.1). Only fields configured as public are ever shown.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Disclosure")
package org.gongzhi.disclosure;
