package org.gongzhi.ledger;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Spreadsheets;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ledger export (台账导出) of any filtered view, streamed: rows are read in chunks ({@link Ledger#forEach}, inside
 * a read-only transaction so that PostgreSQL really uses a cursor) and written as they come, to CSV (UTF-8 with
 * a BOM, so that Excel opens it as UTF-8), XLSX (POI's streaming SXSSF, 100 rows in memory) or GeoJSON. The
 * columns are exactly those an import reads ({@link LedgerFileColumn}), so an exported file imports back as
 * "unchanged".
 */
@Service
class LedgerExports {

    private final Ledger ledger;
    private final WaterBodies waterBodies;
    private final JsonMapper json;
    private final TransactionTemplate readOnly;

    LedgerExports(Ledger ledger, WaterBodies waterBodies, JsonMapper json, TransactionTemplate tx) {
        this.ledger = ledger;
        this.waterBodies = waterBodies;
        this.json = json;
        this.readOnly = new TransactionTemplate(Objects.requireNonNull(tx.getTransactionManager()));
        this.readOnly.setReadOnly(true);
    }

    /** The cells of one outfall, by column, as an import reads them back. */
    static Map<LedgerFileColumn, String> values(Outfall o, Map<Long, String> waterNames) {
        Map<LedgerFileColumn, String> v = new java.util.EnumMap<>(LedgerFileColumn.class);
        v.put(LedgerFileColumn.NATIONAL_CODE, o.nationalCode());
        v.put(LedgerFileColumn.LOCAL_CODE, o.localCode());
        v.put(LedgerFileColumn.NAME, o.name());
        v.put(LedgerFileColumn.TYPE_CODE, o.typeCode());
        v.put(LedgerFileColumn.LIFECYCLE, o.lifecycle().name());
        v.put(LedgerFileColumn.REGION_CODE, o.regionCode());
        v.put(LedgerFileColumn.WATER_BODY, o.waterBodyId() == null ? null : waterNames.get(o.waterBodyId()));
        v.put(LedgerFileColumn.LONGITUDE, plain(o.longitude()));
        v.put(LedgerFileColumn.LATITUDE, plain(o.latitude()));
        v.put(LedgerFileColumn.DISCHARGE_MODE, o.dischargeMode() == null ? null : o.dischargeMode().name());
        v.put(LedgerFileColumn.DISCHARGE_PATTERN, o.dischargePattern() == null ? null : o.dischargePattern().name());
        v.put(LedgerFileColumn.DESIGN_CAPACITY, plain(o.designCapacity()));
        // the lead first, as reads return them; an import takes the first as the lead
        var parties = o.parties().stream().sorted(java.util.Comparator.comparing((Outfall.Party p) -> !p.lead())
                .thenComparingLong(Outfall.Party::organizationId)).toList();
        v.put(LedgerFileColumn.PARTY_NAME, parties.stream().map(Outfall.Party::name).collect(Collectors.joining("; ")));
        v.put(LedgerFileColumn.PARTY_USCC, parties.stream().allMatch(p -> p.uscc() == null) ? null
                : parties.stream().map(p -> p.uscc() == null ? "" : p.uscc()).collect(Collectors.joining("; ")));
        v.put(LedgerFileColumn.PARTY_SHARE, parties.stream().allMatch(p -> p.sharePercent() == null) ? null
                : parties.stream().map(p -> p.sharePercent() == null ? "" : plain(p.sharePercent())).collect(Collectors.joining("; ")));
        return v;
    }

    static String plain(Double d) {
        return d == null ? null : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private Map<Long, String> waterNames() {
        Map<Long, String> names = new HashMap<>();
        for (WaterBody w : waterBodies.all()) {
            names.put(w.id(), w.name());
        }
        return names;
    }

    /** RFC 4180 CSV, UTF-8 with BOM, CRLF line ends, header "排污口编码 nationalCode", …. */
    void csv(LedgerQuery query, CurrentUser user, OutputStream out) {
        Map<Long, String> waterNames = waterNames();
        try {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            w.write('\uFEFF');
            boolean first = true;
            for (LedgerFileColumn c : LedgerFileColumn.values()) {
                w.write(first ? "" : ",");
                w.write(csvField(c.header()));
                first = false;
            }
            w.write("\r\n");
            readOnly.executeWithoutResult(s -> ledger.forEach(query, user, o -> {
                try {
                    Map<LedgerFileColumn, String> v = values(o, waterNames);
                    boolean f = true;
                    for (LedgerFileColumn c : LedgerFileColumn.values()) {
                        w.write(f ? "" : ",");
                        w.write(csvField(c.numeric() ? v.get(c) : Spreadsheets.formulaEscaped(v.get(c))));
                        f = false;
                    }
                    w.write("\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csvField(String s) {
        if (s == null) {
            return "";
        }
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))));
        return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** XLSX, one sheet "台账 Ledger"; codes as text, coordinates and capacity as numbers. */
    void xlsx(LedgerQuery query, CurrentUser user, OutputStream out) {
        Map<Long, String> waterNames = waterNames();
        SXSSFWorkbook wb = new SXSSFWorkbook(100);
        wb.setCompressTempFiles(true);
        // POI's default (Zip64 always) writes entries that java.util.zip and some other readers refuse; the ledger
        // stays far below 4 GB, so Zip64 only if ever needed keeps the file readable everywhere.
        wb.setZip64Mode(org.apache.commons.compress.archivers.zip.Zip64Mode.AsNeeded);
        try {
            Sheet sheet = wb.createSheet("台账 Ledger");
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            CellStyle text = wb.createCellStyle();
            text.setDataFormat(wb.createDataFormat().getFormat("@"));
            Row header = sheet.createRow(0);
            LedgerFileColumn[] columns = LedgerFileColumn.values();
            for (int i = 0; i < columns.length; i++) {
                Cell c = header.createCell(i);
                c.setCellValue(columns[i].header());
                c.setCellStyle(bold);
                sheet.setColumnWidth(i, (columns[i] == LedgerFileColumn.NAME || columns[i] == LedgerFileColumn.PARTY_NAME ? 40 : 18) * 256);
            }
            sheet.createFreezePane(0, 1);
            int[] row = {1};
            readOnly.executeWithoutResult(s -> ledger.forEach(query, user, o -> {
                Map<LedgerFileColumn, String> v = values(o, waterNames);
                Row r = sheet.createRow(row[0]++);
                for (int i = 0; i < columns.length; i++) {
                    String value = v.get(columns[i]);
                    if (value == null) {
                        continue;
                    }
                    Cell c = r.createCell(i);
                    switch (columns[i]) {
                        case LONGITUDE, LATITUDE, DESIGN_CAPACITY -> c.setCellValue(Double.parseDouble(value));
                        default -> {
                            c.setCellValue(value);
                            c.setCellStyle(text);
                        }
                    }
                }
            }));
            wb.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            wb.dispose();
            try {
                wb.close();
            } catch (IOException ignored) {
                // temporary files are already gone
            }
        }
    }

    /**
     * GeoJSON (RFC 7946) FeatureCollection of Points [lon, lat]; outfalls without coordinates are left out.
     * Coordinates are CGCS2000 as kept in the ledger, which agrees with the WGS 84 that GeoJSON specifies to a few
     * centimetres; the collection says so in its "crs_note" member.
     */
    void geojson(LedgerQuery query, CurrentUser user, OutputStream out) {
        Map<Long, String> waterNames = waterNames();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("type", "FeatureCollection");
            g.writeStringProperty("crs_note", "坐标为CGCS2000，与WGS84相差厘米级 / coordinates are CGCS2000, within centimetres of WGS 84");
            g.writeName("features");
            g.writeStartArray();
            readOnly.executeWithoutResult(s -> ledger.forEach(query, user, o -> {
                if (o.longitude() == null || o.latitude() == null) {
                    return;
                }
                g.writeStartObject();
                g.writeStringProperty("type", "Feature");
                g.writeNumberProperty("id", o.id());
                g.writeName("geometry");
                g.writeStartObject();
                g.writeStringProperty("type", "Point");
                g.writeName("coordinates");
                g.writeStartArray();
                g.writeNumber(BigDecimal.valueOf(o.longitude()));
                g.writeNumber(BigDecimal.valueOf(o.latitude()));
                g.writeEndArray();
                g.writeEndObject();
                g.writeName("properties");
                g.writeStartObject();
                Map<LedgerFileColumn, String> v = values(o, waterNames);
                for (LedgerFileColumn c : LedgerFileColumn.values()) {
                    String value = v.get(c);
                    switch (c) {
                        case LONGITUDE, LATITUDE, DESIGN_CAPACITY -> {
                            g.writeName(c.key());
                            if (value == null) {
                                g.writeNull();
                            } else {
                                g.writeNumber(new BigDecimal(value));
                            }
                        }
                        default -> g.writeStringProperty(c.key(), value);
                    }
                }
                g.writeEndObject();
                g.writeEndObject();
            }));
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
