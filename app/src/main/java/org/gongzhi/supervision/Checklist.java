package org.gongzhi.supervision;

import java.util.ArrayList;
import java.util.List;
import org.gongzhi.ledger.OutfallType;

/**
 * What an inspector checks at an outfall (现场检查), by outfall type. The items follow the party's duties and the
 * regulator's checks in the 办法 (规范化建设: 监测采样点、检查井、标识牌; 按批准/登记要求排放) and HJ 1309
 * (§5 sampling point, §6 inspection well, §7 signboard, §8 online monitoring). Which items apply to which type is an
 * inference [INF]: outfalls under approval (工业、园区和城镇污水处理厂排污口) carry an inspection well and an online
 * monitor; storm outlets (雨洪排口) are checked for dry-weather discharge instead of discharge as approved.
 */
enum Checklist {
    SIGNBOARD("标识牌设置规范、信息正确（含二维码）", "Signboard present and correct (with QR code)", "HJ 1309 §7；办法：规范化建设"),
    SAMPLING_POINT("监测采样点设置规范、可到达", "Sampling point in place and accessible", "HJ 1309 §5"),
    INSPECTION_WELL("检查井设置规范、可开启检查", "Inspection well in place and accessible", "HJ 1309 §6"),
    DISCHARGE_AS_APPROVED("排放方式、去向与批复/登记一致，无明显异常排放", "Discharge as approved or registered, nothing abnormal",
            "办法：按照批准或者登记要求设置和排放"),
    ONLINE_MONITOR("在线监测设备正常运行，数据标记与现场工况一致", "Online monitor working, data flags consistent with the site",
            "HJ 1309 §8；HJ 212 数据标记"),
    DRY_WEATHER("旱天无污水排出（雨洪排口）", "No discharge in dry weather (storm outlet)", "国办函〔2022〕17号：雨污分流"),
    PATROL_RECORDS("巡查维护记录完整", "Patrol and maintenance records kept", "办法：责任主体定期巡查维护");

    final String zh;
    final String en;
    final String basis;

    Checklist(String zh, String en, String basis) {
        this.zh = zh;
        this.en = en;
        this.basis = basis;
    }

    public String zh() { return zh; }
    public String en() { return en; }
    public String basis() { return basis; }

    /** The items for an outfall of this type, in the order an inspector walks them. */
    static List<Checklist> forType(OutfallType type) {
        List<Checklist> items = new ArrayList<>(List.of(SIGNBOARD, SAMPLING_POINT));
        boolean storm = type.code().endsWith("_STORM");
        if (type.requiresApproval()) {
            items.add(INSPECTION_WELL);
        }
        items.add(storm ? DRY_WEATHER : DISCHARGE_AS_APPROVED);
        if (type.requiresApproval()) {
            items.add(ONLINE_MONITOR);
        }
        items.add(PATROL_RECORDS);
        return items;
    }

    /** The result of one item. */
    enum Result { PASS, FAIL, NOT_APPLICABLE }
}
