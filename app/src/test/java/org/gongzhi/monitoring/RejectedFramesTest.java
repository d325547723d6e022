package org.gongzhi.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RejectedFramesTest {

    @Test
    void theRejectedFrameLogShowsTheFrameButNeverTheAccessPassword() {
        byte[] frame = "##0093QN=20261129181400000;ST=32;CN=2011;PW=s3cret-pw;MN=SZDEMO001;Flag=4;CP=&&DataTime=20261129181400&&74C1\r\n"
                .getBytes(StandardCharsets.US_ASCII);

        String shown = RejectedFrames.printable(frame);

        assertThat(shown).doesNotContain("s3cret").contains(";PW=***;MN=SZDEMO001;").endsWith("74C1\\r\\n");
        assertThat(RejectedFrames.printable("PW=abc&&".getBytes(StandardCharsets.US_ASCII))).isEqualTo("PW=***&&");
        assertThat(RejectedFrames.printable(new byte[] {'#', '#', 0x01})).isEqualTo("##\\x01");
    }
}
