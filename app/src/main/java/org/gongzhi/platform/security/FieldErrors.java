package org.gongzhi.platform.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gongzhi.platform.FieldProblem;

/** Problems grouped by form field, in the reader's language, for showing next to each field. */
final class FieldErrors {

    private FieldErrors() {
    }

    static Map<String, List<String>> byField(List<FieldProblem> problems, Locale locale) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (FieldProblem p : problems) {
            map.computeIfAbsent(p.field(), k -> new ArrayList<>()).add(reason(p, locale));
        }
        return map;
    }

    static String reason(FieldProblem p, Locale locale) {
        return locale != null && "en".equals(locale.getLanguage()) ? p.reasonEn() : p.reasonZh();
    }

    static <E extends Enum<E>> E enumOrNull(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static long longOr(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
