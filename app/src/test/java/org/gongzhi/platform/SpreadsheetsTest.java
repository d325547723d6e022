package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Reading uploaded workbooks: what a real file gives, and what a hostile one cannot make the server do. */
class SpreadsheetsTest {

    static byte[] workbook(java.util.function.Consumer<XSSFSheet> fill) throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            fill.accept(wb.createSheet("台账"));
            wb.write(out);
            return out.toByteArray();
        }
    }

    static List<List<String>> rows(byte[] xlsx) {
        List<List<String>> rows = new ArrayList<>();
        Spreadsheets.read(xlsx, Spreadsheets.detect(xlsx), (n, cells) -> rows.add(cells));
        return rows;
    }

    @Test
    void cellsKeepTheirColumnsAcrossGaps() throws Exception {
        byte[] xlsx = workbook(s -> {
            s.createRow(0).createCell(0).setCellValue("排污口名称 name");
            s.getRow(0).createCell(2).setCellValue("经度 longitude");
            s.createRow(1).createCell(0).setCellValue("吴中区甲村1#排口");
            s.getRow(1).createCell(2).setCellValue(120.61);
        });
        assertThat(rows(xlsx)).containsExactly(List.of("排污口名称 name", "", "经度 longitude"),
                List.of("吴中区甲村1#排口", "", "120.61"));
    }

    @Test
    void aCellFarToTheRightIsRefusedByItsReferenceInsteadOfPaddedUpTo() throws Exception {
        byte[] xlsx = workbook(s -> {
            s.createRow(0).createCell(0).setCellValue("name");
            s.createRow(1).createCell(16_000).setCellValue("x"); // column WQK
        });
        assertThatThrownBy(() -> rows(xlsx)).isInstanceOfSatisfying(InvalidInputException.class, e ->
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("file");
                    assertThat(p.reasonZh()).contains("WQK2").contains("256");
                    assertThat(p.reasonEn()).contains("WQK2");
                }));
    }
}
