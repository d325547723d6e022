package org.gongzhi.ledger;

import org.gongzhi.platform.Spreadsheets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gongzhi.platform.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The file reader without the application: CSV edge cases, encodings, format detection, header names. */
class LedgerImportFileTest {

    private static List<String> rows(String csv) {
        List<String> out = new ArrayList<>();
        Spreadsheets.readCsv(csv, (n, cells) -> out.add(n + ":" + String.join("|", cells)));
        return out;
    }

    @Test
    void csvFollowsRfc4180AndNumbersRowsAsASpreadsheetDoes() {
        assertThat(rows("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,\r\nlast,row,no-newline"))
                .containsExactly("1:a|b|c", "2:1|x, y|say \"hi\"", "3:two\nlines||", "4:last|row|no-newline");
        assertThat(rows("a\nb\rc\n")).containsExactly("1:a", "2:b", "3:c");
        assertThat(rows("a,\n\nb,")).containsExactly("1:a|", "2:", "3:b|");
        assertThat(rows("x\"y,z")).containsExactly("1:x\"y|z"); // a stray quote inside a field is literal
    }

    @Test
    void anUnclosedQuoteNamesTheRowWhereItOpened() {
        assertThatThrownBy(() -> rows("a,b\n1,\"open\n2,3\n"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).problems().get(0).reasonEn())
                        .isEqualTo("a quote opened in row 2 is never closed"));
    }

    @Test
    void utf8WithOrWithoutBomAndGb18030AreDecoded() {
        String text = "排污口名称,状态\n吴中区甲厂排污口,已核实\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + utf8.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);
        assertThat(Spreadsheets.decode(utf8)).isEqualTo(text);
        assertThat(Spreadsheets.decode(withBom)).isEqualTo(text);
        assertThat(Spreadsheets.decode(text.getBytes(Charset.forName("GB18030")))).isEqualTo(text);
        assertThat(Spreadsheets.decode(text.getBytes(Charset.forName("GBK")))).isEqualTo(text);
    }

    @Test
    void theFormatIsToldByTheContent() {
        assertThat(Spreadsheets.detect(new byte[] {'P', 'K', 3, 4, 0})).isEqualTo(Spreadsheets.Format.XLSX);
        assertThat(Spreadsheets.detect("name\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(Spreadsheets.Format.CSV);
        assertThatThrownBy(() -> Spreadsheets.detect(new byte[] {'%', 'P', 'D', 'F', 0, 1})).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Spreadsheets.detect(new byte[0])).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void headersMayBeChineseEnglishOrBoth() {
        assertThat(LedgerFileColumn.ofHeader("排污口编码 nationalCode")).contains(LedgerFileColumn.NATIONAL_CODE);
        assertThat(LedgerFileColumn.ofHeader("nationalcode")).contains(LedgerFileColumn.NATIONAL_CODE);
        assertThat(LedgerFileColumn.ofHeader("排污口编码")).contains(LedgerFileColumn.NATIONAL_CODE);
        assertThat(LedgerFileColumn.ofHeader("统一社会信用代码（partyUscc）")).contains(LedgerFileColumn.PARTY_USCC);
        assertThat(LedgerFileColumn.ofHeader("设计排放能力（m³/d）")).contains(LedgerFileColumn.DESIGN_CAPACITY);
        assertThat(LedgerFileColumn.ofHeader("\uFEFFname")).contains(LedgerFileColumn.NAME);
        assertThat(LedgerFileColumn.ofHeader("颜色")).isEmpty();
        for (LedgerFileColumn c : LedgerFileColumn.values()) {
            assertThat(LedgerFileColumn.ofHeader(c.header())).contains(c);
            assertThat(LedgerFileColumn.ofHeader(c.zh())).contains(c);
        }
    }

    @Test
    void exportedCsvFieldsAreQuotedOnlyWhenNeeded() {
        assertThat(LedgerExports.csvField("plain")).isEqualTo("plain");
        assertThat(LedgerExports.csvField("a,b")).isEqualTo("\"a,b\"");
        assertThat(LedgerExports.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(LedgerExports.csvField(null)).isEmpty();
        List<String> back = rows(LedgerExports.csvField("x,\"y\"\nz") + "," + LedgerExports.csvField(" pad "));
        assertThat(back).containsExactly("1:x,\"y\"\nz| pad ");
    }
}
