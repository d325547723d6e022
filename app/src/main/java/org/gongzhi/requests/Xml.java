package org.gongzhi.requests;

import java.util.List;
import java.util.Map;

/**
 * Open311's XML (GeoReport v2 requires XML; JSON is optional): the same maps and lists the JSON is made of, written as
 * elements. A list is wrapped in its plural element with one singular element per item (attributes/attribute,
 * values/value, endpoints/endpoint, formats/format); null values become empty elements.
 */
final class Xml {

    private static final Map<String, String> SINGULAR = Map.of("attributes", "attribute", "values", "value",
            "endpoints", "endpoint", "formats", "format");

    static String document(String root, String item, List<? extends Map<String, ?>> items) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<").append(root).append('>');
        for (Map<String, ?> m : items) {
            element(sb, item, m);
        }
        return sb.append("</").append(root).append('>').toString();
    }

    static String document(String root, Map<String, ?> content) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        element(sb, root, content);
        return sb.toString();
    }

    private static void element(StringBuilder sb, String name, Object value) {
        sb.append('<').append(name).append('>');
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> element(sb, String.valueOf(k), v));
        } else if (value instanceof List<?> list) {
            String item = SINGULAR.getOrDefault(name, "item");
            list.forEach(v -> element(sb, item, v));
        } else if (value != null) {
            sb.append(escape(String.valueOf(value)));
        }
        sb.append("</").append(name).append('>');
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
                        sb.append(c); // characters XML 1.0 cannot carry are dropped
                    }
                }
            }
        }
        return sb.toString();
    }

    private Xml() {
    }
}
