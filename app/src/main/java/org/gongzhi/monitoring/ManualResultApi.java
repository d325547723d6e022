package org.gongzhi.monitoring;

import org.gongzhi.platform.Spreadsheets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** REST API of manual and laboratory results (手工监测、监督监测) imports, and of device alerts. */
@RestController
@Tag(name = "Monitoring results 监测结果导入", description = "Import manual and laboratory results in two steps; device alerts")
class ManualResultApi {

    private final ManualResultImports imports;
    private final DeviceAlerts alerts;

    ManualResultApi(ManualResultImports imports, DeviceAlerts alerts) {
        this.imports = imports;
        this.alerts = alerts;
    }

    @PostMapping(value = "/api/v1/measurements/imports", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Step 1: upload an XLSX or CSV file of results; it is checked row by row and kept, nothing is written")
    ManualResultReport upload(@RequestPart("file") MultipartFile file, CurrentUser user) throws IOException {
        ManualResultImports.requireImporter(user);
        return imports.check(file.getOriginalFilename(), Spreadsheets.readUpload(file, imports.maxBytes()), user);
    }

    @GetMapping("/api/v1/measurements/imports/{id}")
    @Operation(summary = "The report of a results import you uploaded")
    ManualResultReport report(@PathVariable long id, CurrentUser user) {
        ManualResultImports.requireImporter(user);
        return imports.find(id, user);
    }

    @PostMapping("/api/v1/measurements/imports/{id}/accept")
    @Operation(summary = "Step 2: write the import's new rows and corrections in one transaction (old values audited); unchanged rows and conflicts are not written")
    ManualResultReport accept(@PathVariable long id, CurrentUser user) {
        return imports.accept(id, user);
    }

    @GetMapping("/api/v1/device-alerts")
    @Operation(summary = "Offline alerts of data loggers whose outfall the caller can see: open ones, or all=true for "
            + "those cleared in the last 30 days too")
    List<DeviceAlerts.Alert> deviceAlerts(@RequestParam(defaultValue = "false") boolean all,
                                          @RequestParam(defaultValue = "500") int limit, CurrentUser user) {
        return alerts.list(all, Math.min(Math.max(limit, 1), 5000), user);
    }
}
