package org.gongzhi.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.gongzhi.platform.FieldProblem;

/**
 * What an import check found (and, once accepted, what was written): counts of rows by outcome, and each problem
 * with its spreadsheet row (the header is row 1), column, value and reason in Chinese and English. Problems are
 * kept up to {@link #MAX_PROBLEMS}; the counts always cover the whole file.
 *
 * @param notices information that is not a problem, e.g. a responsible party that accepting will create
 * @param written the counts of the accept step; null until accepted
 */
public record LedgerImportReport(long id, String filename, String format, String status, Instant createdAt,
                                 String createdBy, Counts counts, List<Problem> problems, List<Problem> notices,
                                 boolean truncated, Counts written) {

    static final int MAX_PROBLEMS = 10_000;

    /**
     * @param total     data rows (blank rows are not counted)
     * @param valid     rows without problems: create + update + unchanged
     * @param newParties responsible parties that do not exist yet and are created on accept
     */
    public record Counts(int total, int valid, int invalid, int unchanged, int create, int update, int newParties) {
    }

    /** One problem (or notice) of one row; row 0 is about the whole file. */
    public record Problem(int row, String field, String value, @JsonProperty("reason_zh") String reasonZh,
                          @JsonProperty("reason_en") String reasonEn) {

        static Problem of(FieldProblem p) {
            return new Problem(p.row(), p.field(), p.value(), p.reasonZh(), p.reasonEn());
        }
    }

    public boolean accepted() {
        return "ACCEPTED".equals(status);
    }
}
