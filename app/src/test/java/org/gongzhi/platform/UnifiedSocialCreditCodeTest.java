package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** 统一社会信用代码 (GB 32100-2015): the check character catches every single-character error. */
class UnifiedSocialCreditCodeTest {

    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /**
     * Published codes: the example commonly cited in GB 32100 explanations, codes of well-known enterprises and
     * one of a public institution (登记管理部门 1, 类别 2). Each was checked by hand with the GB 32100 algorithm.
     */
    static final String[] VALID = {"91350100M000100Y43", "914403001922038216", "9144030071526726XG",
            "91330100716105852F", "91110108551385082Q", "12100000400000624D"};

    static String[] valid() {
        return VALID;
    }

    @ParameterizedTest
    @MethodSource("valid")
    void realCodesAreValid(String code) {
        assertThat(UnifiedSocialCreditCode.check("uscc", code)).isNull();
        assertThat(UnifiedSocialCreditCode.checkCharacter(code.substring(0, 17))).isEqualTo(code.charAt(17));
    }

    @Test
    void theCommonlyCitedExampleWorksOutByHand() {
        // Σ value × 3^i mod 31 over the first 17 characters; the check character is the one worth 31 − (Σ mod 31).
        String first17 = "91350100M000100Y4";
        int[] weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            assertThat(weights[i]).isEqualTo(java.math.BigInteger.valueOf(3).modPow(java.math.BigInteger.valueOf(i),
                    java.math.BigInteger.valueOf(31)).intValue());
            sum += ALPHABET.indexOf(first17.charAt(i)) * weights[i];
        }
        assertThat(ALPHABET.charAt((31 - sum % 31) % 31)).isEqualTo('3');
        assertThat(UnifiedSocialCreditCode.checkCharacter(first17)).isEqualTo('3');
    }

    @Test
    void everySingleCharacterSubstitutionIsCaught() {
        List<String> missed = new ArrayList<>();
        int tried = 0;
        for (String valid : VALID) {
            for (int i = 0; i < 18; i++) {
                for (char c : (ALPHABET + "IOSVZ").toCharArray()) {
                    if (c == valid.charAt(i)) {
                        continue;
                    }
                    String corrupted = valid.substring(0, i) + c + valid.substring(i + 1);
                    tried++;
                    if (UnifiedSocialCreditCode.check("uscc", corrupted) == null) {
                        missed.add(corrupted);
                    }
                }
            }
        }
        assertThat(tried).isEqualTo(VALID.length * 18 * 35);
        assertThat(missed).isEmpty();
    }

    @Test
    void everyTranspositionOfTwoDifferentNeighboursInTheBodyIsCaught() {
        List<String> missed = new ArrayList<>();
        for (String valid : VALID) {
            for (int i = 0; i < 16; i++) {
                if (valid.charAt(i) == valid.charAt(i + 1)) {
                    continue;
                }
                String swapped = valid.substring(0, i) + valid.charAt(i + 1) + valid.charAt(i) + valid.substring(i + 2);
                if (UnifiedSocialCreditCode.check("uscc", swapped) == null) {
                    missed.add(swapped);
                }
            }
        }
        assertThat(missed).isEmpty();
    }

    @Test
    void theReasonNamesTheProblemInChineseAndEnglish() {
        FieldProblem wrongCheck = UnifiedSocialCreditCode.check("uscc", "91350100M000100Y44");
        assertThat(wrongCheck.field()).isEqualTo("uscc");
        assertThat(wrongCheck.value()).isEqualTo("91350100M000100Y44");
        assertThat(wrongCheck.reasonZh()).isEqualTo("校验码错误，应为3");
        assertThat(wrongCheck.reasonEn()).isEqualTo("wrong check character, expected 3");

        FieldProblem letterO = UnifiedSocialCreditCode.check("uscc", "91350100MO00100Y43");
        assertThat(letterO.reasonZh()).contains("第10位", "“O”");
        assertThat(letterO.reasonEn()).contains("character 10 'O' is not allowed");

        assertThat(UnifiedSocialCreditCode.check("uscc", "91350100M000100Y4").reasonZh()).isEqualTo("统一社会信用代码应为18位");
        assertThat(UnifiedSocialCreditCode.check("uscc", "91350100M000100Y433").reasonEn())
                .isEqualTo("the unified social credit code has 18 characters");
        assertThat(UnifiedSocialCreditCode.check("uscc", null)).isNotNull();
        assertThat(UnifiedSocialCreditCode.check("uscc", "")).isNotNull();
    }

    @Test
    void lowerCaseIsNotTheCodeThePagesUpperCaseItFirst() {
        assertThat(UnifiedSocialCreditCode.check("uscc", "91350100m000100y43")).isNotNull();
    }

    @Test
    void checkCharacterRefusesCharactersOutsideTheAlphabet() {
        assertThatThrownBy(() -> UnifiedSocialCreditCode.checkCharacter("91350100M0001I0Y4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position 14");
    }
}
