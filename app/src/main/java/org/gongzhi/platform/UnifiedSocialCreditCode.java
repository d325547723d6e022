package org.gongzhi.platform;

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (no I, O, S, V, Z); the last is a
 * check character computed with weights 3^i mod 31 (GB 32100 §5).
 */
public final class UnifiedSocialCreditCode {

    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private UnifiedSocialCreditCode() {
    }

    /** The check character for the first 17 characters. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = ALPHABET.indexOf(first17.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("character " + first17.charAt(i) + " at position " + (i + 1));
            }
            sum += v * WEIGHTS[i];
        }
        int c = 31 - sum % 31;
        return ALPHABET.charAt(c == 31 ? 0 : c);
    }

    /** Null if valid, otherwise the reason in Chinese and English. */
    public static FieldProblem check(String field, String code) {
        if (code == null || code.length() != 18) {
            return FieldProblem.of(field, code, "统一社会信用代码应为18位", "the unified social credit code has 18 characters");
        }
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return FieldProblem.of(field, code, "第" + (i + 1) + "位字符“" + code.charAt(i) + "”不允许（不使用I、O、S、V、Z）",
                        "character " + (i + 1) + " '" + code.charAt(i) + "' is not allowed (I, O, S, V, Z are not used)");
            }
        }
        char expected = checkCharacter(code.substring(0, 17));
        if (code.charAt(17) != expected) {
            return FieldProblem.of(field, code, "校验码错误，应为" + expected,
                    "wrong check character, expected " + expected);
        }
        return null;
    }
}
