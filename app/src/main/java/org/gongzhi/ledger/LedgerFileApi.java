package org.gongzhi.ledger;

import org.gongzhi.platform.Spreadsheets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.gongzhi.platform.CurrentUser;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Import and export of the ledger as files, under /api/v1. Exports take the same filters as GET /api/v1/outfalls
 * and are cut to the caller's jurisdiction; imports are checked first and written only on accept.
 */
@RestController
@RequestMapping("/api/v1/outfalls")
@Tag(name = "Ledger files 台账导入导出", description = "Export any filtered view as XLSX, CSV or GeoJSON; import XLSX or CSV in two steps")
class LedgerFileApi {

    private final LedgerExports exports;
    private final LedgerImports imports;

    LedgerFileApi(LedgerExports exports, LedgerImports imports) {
        this.exports = exports;
        this.imports = imports;
    }

    private static void attachment(HttpServletResponse response, String contentType, String extension) {
        response.setContentType(contentType);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("台账-ledger-" + LocalDate.now(LedgerPages.CHINA) + "." + extension, StandardCharsets.UTF_8)
                .build().toString());
    }

    @GetMapping("/export.csv")
    @Operation(summary = "Export the filtered ledger as CSV (UTF-8 with BOM; columns as the import reads them)")
    void csv(@ParameterObject LedgerFilters filters, CurrentUser user,
             HttpServletResponse response) throws IOException {
        attachment(response, "text/csv;charset=UTF-8", "csv");
        exports.csv(filters.all(), user, response.getOutputStream());
    }

    @GetMapping("/export.xlsx")
    @Operation(summary = "Export the filtered ledger as XLSX (columns as the import reads them)")
    void xlsx(@ParameterObject LedgerFilters filters, CurrentUser user,
              HttpServletResponse response) throws IOException {
        attachment(response, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
        exports.xlsx(filters.all(), user, response.getOutputStream());
    }

    @GetMapping("/export.geojson")
    @Operation(summary = "Export the filtered ledger as a GeoJSON FeatureCollection of points (outfalls with coordinates)")
    void geojson(@ParameterObject LedgerFilters filters, CurrentUser user,
                 HttpServletResponse response) throws IOException {
        attachment(response, "application/geo+json", "geojson");
        exports.geojson(filters.all(), user, response.getOutputStream());
    }

    @PostMapping(value = "/imports", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Step 1 of an import: upload an XLSX or CSV file; it is checked row by row and kept, nothing is written")
    LedgerImportReport upload(@RequestPart("file") MultipartFile file, CurrentUser user) throws IOException {
        return imports.check(file.getOriginalFilename(), Spreadsheets.readUpload(file, imports.maxBytes()), user);
    }

    @GetMapping("/imports/{id}")
    @Operation(summary = "The report of an import you uploaded")
    LedgerImportReport report(@PathVariable long id, CurrentUser user) {
        return imports.find(id, user);
    }

    @PostMapping("/imports/{id}/accept")
    @Operation(summary = "Step 2 of an import: write its valid rows, in one transaction; a batch is accepted only once")
    LedgerImportReport accept(@PathVariable long id, CurrentUser user) {
        return imports.accept(id, user);
    }
}
