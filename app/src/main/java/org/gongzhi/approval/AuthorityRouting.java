package org.gongzhi.approval;

import java.util.List;
import java.util.Set;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.springframework.stereotype.Component;

/**
 * Which bureau decides a case: the first rule of {@code approval_authority_rule} that matches, the province's own
 * rules before the national defaults. The 办法 leaves the split to each province (outside the basin bureaus' scope,
 * 环办水体函〔2022〕493号), so it is data: a province adds WATER_BODY rules for the waters its basin bureau decides,
 * REGION rules for areas, EIA_LEVEL rules to follow the project's EIA approval. The default (docs/approval.md): the
 * level that approved the project's EIA when the applicant names it, otherwise the city bureau.
 */
@Component
class AuthorityRouting {

    static final Set<String> EIA_LEVELS = Set.of("BASIN_BUREAU", "PROVINCE", "CITY", "COUNTY");

    private final ApprovalCases cases;
    private final WaterBodies waterBodies;

    AuthorityRouting(ApprovalCases cases, WaterBodies waterBodies) {
        this.cases = cases;
        this.waterBodies = waterBodies;
    }

    ApprovalCase.Authority route(String regionCode, Long waterBodyId, String eiaLevel) {
        List<ApprovalCases.Rule> rules = cases.rules(regionCode.substring(0, 2));
        for (ApprovalCases.Rule r : rules) {
            boolean match = switch (r.criterion()) {
                case "ANY" -> true;
                case "WATER_BODY" -> waterBodyId != null && String.valueOf(waterBodyId).equals(r.value());
                case "REGION" -> r.value() != null && regionCode.startsWith(r.value());
                case "EIA_LEVEL" -> eiaLevel != null && (r.value() == null || r.value().equals(eiaLevel));
                default -> false;
            };
            if (!match) {
                continue;
            }
            String level = "SAME_AS_EIA".equals(r.authorityLevel()) ? eiaLevel : r.authorityLevel();
            return authority(level, regionCode, waterBodyId, r);
        }
        throw new IllegalStateException("no approval authority rule matches " + regionCode
                + "; approval_authority_rule needs a rule with criterion ANY");
    }

    private ApprovalCase.Authority authority(String level, String regionCode, Long waterBodyId, ApprovalCases.Rule r) {
        return switch (level) {
            case "BASIN_BUREAU" -> {
                WaterBody wb = waterBodyId == null ? null : waterBodies.find(waterBodyId).orElse(null);
                if (wb == null || wb.basin() == null) {
                    throw new InvalidInputException(FieldProblem.of("waterBodyId", waterBodyId,
                            "由流域局审批的申请须注明受纳水体", "a case decided by a basin bureau needs the receiving water body"));
                }
                yield new ApprovalCase.Authority(level, null, wb.basin().name(), r.id(), r.note());
            }
            case "PROVINCE" -> new ApprovalCase.Authority(level, regionCode.substring(0, 2) + "0000", null, r.id(), r.note());
            case "CITY" -> new ApprovalCase.Authority(level, regionCode.substring(0, 4) + "00", null, r.id(), r.note());
            case "COUNTY" -> new ApprovalCase.Authority(level, regionCode, null, r.id(), r.note());
            default -> throw new IllegalStateException("approval_authority_rule " + r.id() + ": unknown level " + level);
        };
    }
}
