package org.gongzhi.hj212.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CliTest {

    private record Run(int rc, String out, String err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Hj212Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String SEG = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";

    @Test
    void crcOfArgumentAndStdin() {
        assertThat(run("", "crc", SEG).out()).isEqualTo("1C80" + System.lineSeparator());
        assertThat(run(SEG + "\n", "crc").out()).startsWith("1C80");
    }

    @Test
    void encodeSegmentAndFromOptions() {
        assertThat(run("", "encode", SEG).out()).isEqualTo("##0101" + SEG + "1C80\r\n");
        assertThat(run("", "encode", "--qn", "20160801085857223", "--st", "32", "--cn", "1062", "--pw", "100000",
            "--mn", "010000A8900016F000169DC0", "--flag", "5", "--cp", "RtdInterval=30").out())
            .isEqualTo("##0101" + SEG + "1C80\r\n");
    }

    @Test
    void decodePrintsOneJsonLinePerResult() {
        String bad = "##0101" + SEG + "1C81\r\n";
        Run r = run("##0101" + SEG + "1c80\r\n" + "junk" + bad, "decode");
        assertThat(r.rc()).isEqualTo(1);
        String[] lines = r.out().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("{\"offset\":0,\"length\":113,\"ok\":true,\"error\":null,\"detail\":null,"
            + "\"crc\":\"1C80\",\"crcExpected\":\"1C80\",\"crcKind\":\"HJ212\",\"tail\":\"CRLF\",\"segmentLength\":101,"
            + "\"version\":\"2017\",\"qn\":\"20160801085857223\",\"st\":\"32\",\"cn\":\"1062\",\"pw\":\"100000\","
            + "\"mn\":\"010000A8900016F000169DC0\",\"flag\":5,\"ack\":true,\"split\":false,\"pnum\":null,\"pno\":null,"
            + "\"cp\":[[[\"RtdInterval\",\"30\"]]],\"warnings\":[]}");
        assertThat(lines[1]).contains("\"ok\":false,\"error\":\"BAD_HEADER\"").contains("\"raw\":\"junk\"");
        assertThat(lines[2]).contains("\"error\":\"BAD_CRC\"").contains("\"crc\":\"1C81\",\"crcExpected\":\"1C80\"")
            .contains("\"mn\":\"010000A8900016F000169DC0\"").contains("\"raw\":\"##0101QN=");
        assertThat(run("##0101" + SEG + "1C80", "decode").rc()).isZero();
    }

    @Test
    void decodeUnescapesLogText() {
        Run r = run("##0101" + SEG + "1C80\\r\\n", "decode", "--unescape");
        assertThat(r.out()).contains("\"tail\":\"CRLF\"");
    }

    @Test
    void jsonEscaping() {
        assertThat(Json.quote("a\"b\\c\n\r\t\u0001\u2028中")).isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u2028中\"");
        StringBuilder sb = new StringBuilder();
        new Json(sb).beginObject().name("a").value(1).name("b").beginArray().value("x").nullValue().endArray()
            .name("c").value(true).endObject();
        assertThat(sb).hasToString("{\"a\":1,\"b\":[\"x\",null],\"c\":true}");
    }

    @Test
    void usageErrors() {
        assertThat(run("", "frobnicate").rc()).isEqualTo(2);
        assertThat(run("").rc()).isEqualTo(2);
        assertThat(run("", "decode", "--hard-max", "x").rc()).isEqualTo(2);
        assertThat(run("", "encode", "--st", "32").rc()).isEqualTo(2);
    }
}
