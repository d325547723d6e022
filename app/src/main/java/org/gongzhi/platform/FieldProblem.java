package org.gongzhi.platform;

/**
 * One reason why input was refused, for a person to read: which field (or CSV column), the value given, and
 * why, in Chinese and English. Row is 0 when the input is not a table.
 */
public record FieldProblem(int row, String field, String value, String reasonZh, String reasonEn) {

    public static FieldProblem of(String field, Object value, String reasonZh, String reasonEn) {
        return new FieldProblem(0, field, value == null ? null : String.valueOf(value), reasonZh, reasonEn);
    }

    public FieldProblem atRow(int row) {
        return new FieldProblem(row, field, value, reasonZh, reasonEn);
    }

    @Override
    public String toString() {
        return (row > 0 ? "row " + row + ", " : "") + field + "=" + value + ": " + reasonZh + " / " + reasonEn;
    }
}
