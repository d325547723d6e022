/**
 * The outfall ledger (入河排污口管理台账): outfalls, their taxonomy, codes, lifecycle, parties, history,
 * search, import/export and map (办法: MEE "组织建立并动态更新入河排污口管理台账").
 */
@org.springframework.modulith.ApplicationModule(displayName = "Ledger")
package org.gongzhi.ledger;
