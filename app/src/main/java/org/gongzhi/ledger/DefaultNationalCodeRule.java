package org.gongzhi.ledger;

import java.util.Optional;
import java.util.regex.Pattern;
import org.gongzhi.platform.FieldProblem;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The documented default until HJ 1235's layout is known: county code (GB/T 2260, 6 digits) + the level-1 type
 * letter (工业 G, 城镇污水处理厂 C, 农业 N, 其他 Q) + a 5-digit sequence, e.g. {@code 320506G00012}.
 * Supplied codes are accepted if they are 8–32 of {@code 0-9 A-Z -}, so that codes already issued elsewhere
 * can be imported unchanged.
 */
class DefaultNationalCodeRule implements NationalCodeRule {

    private static final Pattern SUPPLIED = Pattern.compile("[0-9A-Z-]{8,32}");

    @Override
    public Optional<FieldProblem> check(String field, String code) {
        if (code == null || !SUPPLIED.matcher(code).matches()) {
            return Optional.of(FieldProblem.of(field, code, "排污口编码应为8–32位大写字母、数字或“-”",
                    "outfall code must be 8 to 32 of A-Z, 0-9 and '-'"));
        }
        return Optional.empty();
    }

    @Override
    public String sequenceKey(String regionCode, OutfallType type) {
        return regionCode + type.level1().letter();
    }

    @Override
    public String format(String sequenceKey, int n) {
        return sequenceKey + String.format("%05d", n);
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        @ConditionalOnMissingBean(NationalCodeRule.class)
        NationalCodeRule defaultNationalCodeRule() {
            return new DefaultNationalCodeRule();
        }
    }
}
