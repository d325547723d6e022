package org.gongzhi.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.time.Instant;
import java.util.List;

/**
 * What a results import check found (and, once accepted, what was written), in the ledger import's report style:
 * counts of rows by outcome, and each problem with its spreadsheet row (header = row 1), column, value and reason in
 * Chinese and English. Problems are kept up to {@link #MAX_PROBLEMS}; counts always cover the whole file.
 *
 * @param written the counts of the accept step; null until accepted
 */
record ManualResultReport(long id, String filename, String format, String status, Instant createdAt, String createdBy,
                          Counts counts, List<Problem> problems, List<Problem> notices, boolean truncated,
                          Counts written) {

    static final int MAX_PROBLEMS = 10_000;

    /**
     * @param total     data rows (blank rows are not counted)
     * @param valid     rows without problems: create + unchanged + correct
     * @param invalid   rows with a problem in a cell (conflicts not included)
     * @param create    rows that accepting writes (or wrote)
     * @param unchanged rows already stored with the same value: nothing to write
     * @param conflict  SELF rows whose key is stored with a different value: reported, never overwritten
     * @param correct   MANUAL/LAB rows whose key is stored with a different value: accepting replaces the stored value,
     *                  which the audit log keeps (absent in reports stored before corrections existed: 0)
     */
    record Counts(int total, int valid, int invalid, int create, int unchanged, int conflict,
                  @JsonSetter(nulls = Nulls.AS_EMPTY) int correct) {
    }

    /** One problem (or notice) of one row; row 0 is about the whole file. */
    record Problem(int row, String field, String value, @JsonProperty("reason_zh") String reasonZh,
                   @JsonProperty("reason_en") String reasonEn) {
    }

    public boolean accepted() {
        return "ACCEPTED".equals(status);
    }
}
