package org.gongzhi.hj212;

import java.util.ArrayList;
import java.util.List;

/**
 * The answers a host (or field) sends: 9011 request answer, 9012 execution result, 9013 notify answer, 9014 data
 * answer (hj212.md §5). Replies use ST=91, repeat the PW and MN of the packet answered, and carry its QN:
 * <ul>
 *   <li>2017/2025 style: QN in the header, Flag = version bits with A=0 (4 for 2017, 8 for 2025);</li>
 *   <li>2005 style: QN inside CP ({@code CP=&&QN=…;QnRtn=1&&}), no QN in the header, Flag=0 (our choice: the
 *       2005 text is not available to us; 2005 loggers send 0–3 or no Flag).</li>
 * </ul>
 * The style follows the version of the packet answered unless given explicitly.
 */
public final class Hj212Replies {

    /** QnRtn values of 9011 (hj212.md §5). 2005 had only 1–3. */
    public enum QnRtn {
        READY(1), REFUSED(2), BAD_PW(3), BAD_MN(4), BAD_ST(5), BAD_FLAG(6), BAD_QN(7), BAD_CN(8), BAD_CRC(9),
        UNKNOWN(100);

        private final int code;

        QnRtn(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** ExeRtn values of 9012 (hj212.md §5). */
    public enum ExeRtn {
        SUCCESS(1), FAILED(2), BAD_CONDITIONS(3), TIMEOUT(4), BUSY(5), SYSTEM_FAULT(6), NO_DATA(100);

        private final int code;

        ExeRtn(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** Upload CNs that the host answers with 9014 when Flag bit A=1 (hj212.md §5, exchange 2). */
    private static final int[] UPLOAD_CNS = {2011, 2021, 2031, 2041, 2051, 2061, 2081, 3015, 3019, 3020,
        // 2025 field uploads (hj212.md §14), and 1011/1061/1063/3017/3018 replies, which are uploads of results
        1001, 2013, 2052, 2062, 2111, 1011, 1061, 1063, 3017, 3018};

    private Hj212Replies() {
    }

    /**
     * True when the host must send a 9014 data answer for this packet: an upload with Flag bit A=1. Each part of
     * a split upload is acknowledged separately (§5). Vendor CN 9021 gets nothing (§4).
     */
    public static boolean needsDataAck(Hj212Packet p) {
        if (!p.ackRequested()) {
            return false;
        }
        for (int cn : UPLOAD_CNS) {
            if (cn == p.cn()) {
                return true;
            }
        }
        return false;
    }

    /** True when the packet is a notification that expects a 9013 answer (field 1013; host 2012/2022, §5). */
    public static boolean needsNotifyAck(Hj212Packet p) {
        return p.cn() == 1013 || p.cn() == 2012 || p.cn() == 2022;
    }

    /** 9014 data answer to an upload (empty CP in 2017 style). */
    public static Hj212Message dataAck(Hj212Packet upload) {
        return reply(upload, 9014, List.of());
    }

    /** 9013 notify answer. */
    public static Hj212Message notifyAck(Hj212Packet notification) {
        return reply(notification, 9013, List.of());
    }

    /** 9011 request answer, e.g. {@code QnRtn.BAD_CRC} for a request rejected for its CRC (§1). */
    public static Hj212Message requestAnswer(Hj212Packet request, QnRtn rtn) {
        return reply(request, 9011, List.of(CpItem.of("QnRtn", Integer.toString(rtn.code()))));
    }

    /** 9012 execution result. */
    public static Hj212Message executionResult(Hj212Packet request, ExeRtn rtn) {
        return reply(request, 9012, List.of(CpItem.of("ExeRtn", Integer.toString(rtn.code()))));
    }

    /**
     * A reply with explicit fields: CN 9011–9014 (or any), the QN/PW/MN to echo (null to omit), the version
     * whose style to use, and the CP items.
     */
    public static Hj212Message reply(int cn, String qn, String pw, String mn, ProtocolVersion version,
                                     List<CpItem> items) {
        List<CpItem> cp = new ArrayList<>(items.size() + 1);
        String headerQn = qn;
        int flag;
        if (version == ProtocolVersion.V2005) {
            if (qn != null) {
                cp.add(CpItem.of("QN", qn));
            }
            headerQn = null;
            flag = 0;
        } else {
            flag = version == ProtocolVersion.V2025 ? ProtocolVersion.V2025.flagBits() : ProtocolVersion.V2017.flagBits();
        }
        cp.addAll(items);
        List<List<CpItem>> groups = new ArrayList<>(cp.size());
        for (CpItem it : cp) {
            groups.add(List.of(it)); // QN=…;QnRtn=1: one ';'-group per item, as in the standard's examples
        }
        return new Hj212Message(headerQn, "91", cn, pw, mn, flag, -1, -1, groups);
    }

    private static Hj212Message reply(Hj212Packet p, int cn, List<CpItem> items) {
        return reply(cn, p.qn(), p.pw(), p.mn(), p.version(), items);
    }
}
