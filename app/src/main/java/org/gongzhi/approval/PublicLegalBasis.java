package org.gongzhi.approval;

import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The legal basis in force of an outfall, for the public: the approval decision (准予设置决定书: number, date,
 * deciding bureau, 新设/改设/扩大) or the registration (登记: number, date), whichever came last. The 办法 makes the
 * responsible party disclose the outfall's information (outfall-regulation.md §1.12, §4.1 lists "审批决定书文号 or
 * 登记编号, date" for the signboard), so these facts are public and this read is deliberately not scoped to a
 * jurisdiction. It returns nothing else of a case: no applicant's materials, no refusals, nothing in progress.
 *
 * <p>A confirmed cancellation (注销) after the last decision or registration means that none is in force.
 */
@Service
public class PublicLegalBasis {

    /** Approval decision (审批) or registration (登记). */
    public enum Kind {
        APPROVAL("入河排污口设置审批决定书", "approval decision"), REGISTRATION("入河排污口登记", "registration");

        private final String zh;
        private final String en;

        Kind(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }

        public String zh() {
            return zh;
        }

        public String en() {
            return en;
        }
    }

    /**
     * One legal basis in force.
     *
     * @param number      the 决定书 number (e.g. 320500审〔2026〕3号) or the 登记编号
     * @param date        the day of the decision or of the confirmed registration
     * @param authority   the bureau that decided or registered (e.g. 江苏省苏州市生态环境局)
     * @param settingType for an approval NEW, MODIFY or EXPAND (新设/改设/扩大); null for a registration
     */
    public record InForce(long outfallId, Kind kind, String number, LocalDate date, String authority,
                          ApprovalCase.SettingType settingType) {
    }

    private final JdbcClient jdbc;
    private final ApprovalDocuments documents;

    PublicLegalBasis(JdbcClient jdbc, ApprovalDocuments documents) {
        this.jdbc = jdbc;
        this.documents = documents;
    }

    /** The legal basis in force for one outfall; empty when it has none (or it was cancelled since). */
    public Optional<InForce> of(long outfallId) {
        return Optional.ofNullable(of(List.of(outfallId)).get(outfallId));
    }

    /** The legal basis in force per outfall, in one query (open-data lists); outfalls without one are absent. */
    public Map<Long, InForce> of(Collection<Long> outfallIds) {
        Map<Long, InForce> out = new LinkedHashMap<>();
        if (outfallIds.isEmpty()) {
            return out;
        }
        // The newest closing act per outfall: a decision, a registration, or a cancellation that ends them.
        jdbc.sql("""
                SELECT DISTINCT ON (c.outfall_id) c.outfall_id, c.kind, c.setting_type, c.decision_number, c.case_number,
                       c.decided_on, c.authority_level, c.authority_region_code, c.authority_basin
                FROM approval_case c
                WHERE c.outfall_id = ANY(?)
                  AND ((c.kind = 'APPROVAL' AND c.state = 'APPROVED') OR (c.kind = 'REGISTRATION' AND c.state = 'REGISTERED')
                       OR (c.kind = 'CANCELLATION' AND c.state = 'CONFIRMED'))
                ORDER BY c.outfall_id, c.decided_on DESC, c.id DESC""")
                .param(outfallIds.toArray(Long[]::new))
                .query((rs, i) -> {
                    String kind = rs.getString("kind");
                    if (kind.equals("CANCELLATION")) {
                        return null;
                    }
                    boolean approval = kind.equals("APPROVAL");
                    String setting = rs.getString("setting_type");
                    ApprovalCase.Authority a = new ApprovalCase.Authority(rs.getString("authority_level"),
                            rs.getString("authority_region_code"), rs.getString("authority_basin"), null, null);
                    return new InForce(rs.getLong("outfall_id"), approval ? Kind.APPROVAL : Kind.REGISTRATION,
                            rs.getString(approval ? "decision_number" : "case_number"),
                            rs.getObject("decided_on", LocalDate.class), documents.authorityName(a),
                            setting == null ? null : ApprovalCase.SettingType.valueOf(setting));
                })
                .list().stream().filter(java.util.Objects::nonNull).forEach(b -> out.put(b.outfallId(), b));
        return out;
    }
}
