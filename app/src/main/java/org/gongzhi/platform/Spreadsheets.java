package org.gongzhi.platform;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Reads an uploaded spreadsheet (a ledger, lab results…) as rows of cell text with the row number a person sees
 * in a spreadsheet program (the header is row 1). The format is told by the content, never by the file name:
 * XLSX starts with a ZIP header ({@code PK\3\4}); anything else must be text to be read as CSV, in UTF-8 with or
 * without BOM, else GB18030 (a superset of GBK and GB2312). CSV follows RFC 4180. XLSX is streamed (SAX over the
 * first sheet), so a large workbook is never held as objects; numbers in General format come out as typed
 * (320506000123, 0.05), date cells as {@code yyyy-MM-dd HH:mm:ss} (workbook dates carry no zone).
 */
public final class Spreadsheets {

    public enum Format { CSV, XLSX }

    public interface RowSink {
        void row(int number, List<String> cells);
    }

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** No import has more than a few dozen columns; a cell beyond this is refused, not padded up to. */
    static final int MAX_COLUMNS = 256;

    static {
        // An XLSX is a zip: refuse entries that inflate more than 100× or beyond 512 MB (zip bombs), whichever
        // Apache POI would otherwise accept. A real 500,000-row ledger sheet inflates to about 150 MB.
        org.apache.poi.openxml4j.util.ZipSecureFile.setMinInflateRatio(0.01);
        org.apache.poi.openxml4j.util.ZipSecureFile.setMaxEntrySize(512L * 1024 * 1024);
    }

    private Spreadsheets() {
    }

    /** An uploaded file's bytes, refusing more than {@code max} without reading all of it. */
    public static byte[] readUpload(org.springframework.web.multipart.MultipartFile file, long max) throws java.io.IOException {
        if (file.getSize() > max) {
            throw badFile(String.valueOf(file.getSize()), "文件过大：上限为 " + (max >> 20) + " MB",
                    "the file is too large: the limit is " + (max >> 20) + " MB");
        }
        try (InputStream in = file.getInputStream()) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
    }

    /**
     * A text value for a CSV file people open in Excel or WPS: one starting with = + - @ or a tab/CR would run as a
     * formula there (e.g. =HYPERLINK(...) carrying other cells away), so it gets a leading apostrophe (OWASP "CSV
     * injection"). Numbers are written as they are. {@link #formulaUnescaped} undoes it on import.
     */
    public static String formulaEscaped(String s) {
        return s != null && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }

    /** The value {@link #formulaEscaped} wrote, so that an exported file imports back unchanged. */
    public static String formulaUnescaped(String s) {
        return s != null && s.length() > 1 && s.charAt(0) == '\'' && "=+-@\t\r".indexOf(s.charAt(1)) >= 0
                ? s.substring(1) : s;
    }

    public static InvalidInputException badFile(String value, String zh, String en) {
        return new InvalidInputException(FieldProblem.of("file", value, zh, en));
    }

    public static Format detect(byte[] b) {
        if (b.length == 0) {
            throw badFile(null, "文件为空", "the file is empty");
        }
        if (b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
            return Format.XLSX;
        }
        if (b.length >= 4 && (b[0] & 0xff) == 0xD0 && (b[1] & 0xff) == 0xCF && (b[2] & 0xff) == 0x11 && (b[3] & 0xff) == 0xE0) {
            throw badFile("xls", "不支持旧版Excel（.xls）格式，请另存为.xlsx或CSV后上传",
                    "the old Excel format (.xls) is not supported; save the sheet as .xlsx or CSV and upload that");
        }
        for (int i = 0, n = Math.min(b.length, 8192); i < n; i++) {
            if (b[i] == 0) {
                throw badFile(null, "不是电子表格：只接受XLSX或CSV文件（按文件内容识别）",
                        "not a spreadsheet: only XLSX or CSV files are accepted (told by the content)");
            }
        }
        return Format.CSV;
    }

    public static void read(byte[] content, Format format, RowSink sink) {
        if (format == Format.XLSX) {
            readXlsx(content, sink);
        } else {
            readCsv(decode(content), sink);
        }
    }

    public static String decode(byte[] b) {
        int offset = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, offset, b.length - offset)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, GB18030);
        }
    }

    /** RFC 4180 records (CRLF, LF or CR); quoted fields may hold separators, line breaks and doubled quotes. */
    public static void readCsv(String s, RowSink sink) {
        List<String> cells = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int row = 1;
        int i = 0;
        int len = s.length();
        boolean any = false;
        while (i < len) {
            char c = s.charAt(i);
            if (c == '"' && field.isEmpty()) {
                any = true;
                int start = row;
                i++;
                while (true) {
                    if (i >= len) {
                        throw badFile("row " + start, "第" + start + "行的引号没有闭合", "a quote opened in row " + start + " is never closed");
                    }
                    char q = s.charAt(i);
                    if (q == '"') {
                        if (i + 1 < len && s.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.append(q);
                    i++;
                }
                while (i < len && s.charAt(i) != ',' && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    field.append(s.charAt(i++));
                }
                continue;
            }
            if (c == ',') {
                any = true;
                cells.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r' || c == '\n') {
                i += c == '\r' && i + 1 < len && s.charAt(i + 1) == '\n' ? 2 : 1;
                cells.add(field.toString());
                field.setLength(0);
                sink.row(row++, cells);
                cells = new ArrayList<>();
                any = false;
            } else {
                any = true;
                field.append(c);
                i++;
            }
        }
        if (any) {
            cells.add(field.toString());
            sink.row(row, cells);
        }
    }

    private static void readXlsx(byte[] content, RowSink sink) {
        // From a file, the zip is read entry by entry as the sheet streams; from a stream POI would inflate every
        // entry into memory first.
        java.nio.file.Path file = null;
        try {
            file = java.nio.file.Files.createTempFile("gongzhi-import-", ".xlsx");
            java.nio.file.Files.write(file, content);
            readXlsx(file, sink);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (java.io.IOException ignored) {
                    // a temporary file left behind is removed with the temporary directory
                }
            }
        }
    }

    private static void readXlsx(java.nio.file.Path file, RowSink sink) {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), org.apache.poi.openxml4j.opc.PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            if (!sheets.hasNext()) {
                throw badFile(null, "工作簿中没有工作表", "the workbook has no sheet");
            }
            try (InputStream sheet = sheets.next()) {
                XMLReader parser = XMLHelper.newXMLReader();
                parser.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, new Rows(sink),
                        new PlainCells(), false));
                parser.parse(new InputSource(sheet));
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidInputException iie) {
                    throw iie;
                }
            }
            throw badFile(e.getClass().getSimpleName(), "无法读取该XLSX文件（文件损坏，或不是Excel工作簿）",
                    "cannot read this XLSX file (damaged, or not an Excel workbook)");
        }
    }

    /** Cells by column letter, so that empty cells (absent in the XML) keep their place. */
    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final RowSink sink;
        private final List<String> cells = new ArrayList<>();
        private int row;

        Rows(RowSink sink) {
            this.sink = sink;
        }

        @Override
        public void startRow(int rowNum) {
            row = rowNum + 1;
            cells.clear();
        }

        @Override
        public void endRow(int rowNum) {
            sink.row(row, new ArrayList<>(cells));
        }

        @Override
        public void cell(String ref, String value, XSSFComment comment) {
            int col = ref == null ? cells.size() : new CellReference(ref).getCol();
            if (col >= MAX_COLUMNS) {
                throw new InvalidInputException(FieldProblem.of("file", ref,
                        "单元格 " + ref + " 超出可读取的列范围（最多 " + MAX_COLUMNS + " 列）",
                        "cell " + ref + " is beyond the columns an import reads (at most " + MAX_COLUMNS + ")"));
            }
            while (cells.size() < col) {
                cells.add("");
            }
            cells.add(value == null ? "" : value);
        }
    }

    /** General numbers as typed; date-formatted numbers as yyyy-MM-dd HH:mm:ss (workbook dates carry no zone). */
    private static final class PlainCells extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return DateUtil.getLocalDateTime(value, false, true).format(DATE_TIME);
            }
            if (formatIndex == 0 || "General".equalsIgnoreCase(formatString)) {
                return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
            }
            return super.formatRawCellContents(value, formatIndex, formatString);
        }
    }
}
