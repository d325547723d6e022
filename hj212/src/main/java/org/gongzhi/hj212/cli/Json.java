package org.gongzhi.hj212.cli;

/**
 * A tiny JSON writer (the codec has no dependencies). Writes to a StringBuilder; the caller is responsible for
 * well-formed nesting, this class for correct escaping (RFC 8259 §7: quote, backslash and all control characters;
 * U+2028/U+2029 too so the output is also safe inside JavaScript).
 */
final class Json {

    private final StringBuilder sb;
    private boolean first = true;

    Json(StringBuilder sb) {
        this.sb = sb;
    }

    Json beginObject() {
        comma();
        sb.append('{');
        first = true;
        return this;
    }

    Json endObject() {
        sb.append('}');
        first = false;
        return this;
    }

    Json beginArray() {
        comma();
        sb.append('[');
        first = true;
        return this;
    }

    Json endArray() {
        sb.append(']');
        first = false;
        return this;
    }

    /** Starts a member: the next value written belongs to it. */
    Json name(String name) {
        comma();
        string(sb, name);
        sb.append(':');
        first = true; // suppress the comma before the member's value
        return this;
    }

    Json value(String s) {
        comma();
        if (s == null) {
            sb.append("null");
        } else {
            string(sb, s);
        }
        return this;
    }

    Json value(long v) {
        comma();
        sb.append(v);
        return this;
    }

    Json value(boolean v) {
        comma();
        sb.append(v);
        return this;
    }

    Json nullValue() {
        comma();
        sb.append("null");
        return this;
    }

    /** An int that means "absent" when negative. */
    Json optional(int v) {
        return v < 0 ? nullValue() : value(v);
    }

    private void comma() {
        if (!first) {
            sb.append(',');
        }
        first = false;
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        string(b, s);
        return b.toString();
    }
}
