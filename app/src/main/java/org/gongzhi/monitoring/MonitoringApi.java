package org.gongzhi.monitoring;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** REST API of online monitoring under /api/v1: data loggers, measurements, rejected frames, host commands. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Monitoring 在线监测", description = "Data loggers (数采仪), measurements, rejected frames, host commands")
class MonitoringApi {

    private final Monitoring monitoring;

    MonitoringApi(Monitoring monitoring) {
        this.monitoring = monitoring;
    }

    /** Body of bind: the registration of an MN seen in the unregistered list. */
    record BindInput(String password, Long outfallId, List<String> factors, Integer intervalSeconds, Boolean lenientCrc) {
    }

    @PostMapping("/data-loggers")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a data logger (数采仪) for an outfall; the password is stored as a salted hash")
    Monitoring.Device register(@RequestBody Monitoring.DeviceInput body, CurrentUser user) {
        return monitoring.register(body, user);
    }

    @GetMapping("/data-loggers")
    @Operation(summary = "Data loggers whose outfall the caller can see, with online status and last contact")
    List<Monitoring.Device> devices(CurrentUser user) {
        return monitoring.devices(user);
    }

    @GetMapping("/data-loggers/unregistered")
    @Operation(summary = "Unknown MNs that tried to send data in the last 30 days, with counts and last address")
    List<RejectedFrames.Unregistered> unregistered(CurrentUser user) {
        return monitoring.unregistered(user);
    }

    @GetMapping("/data-loggers/{mn}")
    @Operation(summary = "One data logger")
    Monitoring.Device device(@PathVariable String mn, CurrentUser user) {
        return monitoring.device(mn, user);
    }

    @PostMapping("/data-loggers/{mn}/bind")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register an unknown MN (from the unregistered list) for an outfall")
    Monitoring.Device bind(@PathVariable String mn, @RequestBody BindInput body, CurrentUser user) {
        return monitoring.register(new Monitoring.DeviceInput(mn, body.password(), body.outfallId(), body.factors(),
                body.intervalSeconds(), body.lenientCrc()), user);
    }

    @GetMapping("/data-loggers/{mn}/status")
    @Operation(summary = "Online/offline and the day's completeness per factor (received ÷ expected), recent commands")
    Monitoring.Status status(@PathVariable String mn, @RequestParam(required = false) LocalDate day, CurrentUser user) {
        return monitoring.status(mn, day, user);
    }

    @PostMapping("/data-loggers/{mn}/commands")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a command to a connected logger (1011, 1012, 1062, 2031/2041/2051/2061 history); "
            + "tracked until its 9011/9012 answers arrive")
    HostCommands.Command command(@PathVariable String mn, @RequestBody Monitoring.CommandInput body, CurrentUser user) {
        return monitoring.command(mn, body, user);
    }

    @GetMapping("/outfalls/{id}/measurements/latest")
    @Operation(summary = "The latest value of each factor of an outfall")
    List<Monitoring.Latest> latest(@PathVariable long id, CurrentUser user) {
        return monitoring.latest(id, user);
    }

    @GetMapping("/outfalls/{id}/measurements")
    @Operation(summary = "A factor's time series, downsampled on the server to at most `points` buckets (avg/min/max); "
            + "source=HJ212|MANUAL|LAB|SELF keeps one source (with MANUAL, LAB or SELF the kind defaults to REALTIME)")
    Monitoring.Series series(@PathVariable long id, @RequestParam String factor,
                             @RequestParam(required = false) MeasurementKind kind,
                             @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
                             @RequestParam(defaultValue = "500") int points,
                             @RequestParam(required = false) String source, CurrentUser user) {
        return monitoring.series(id, factor, kind, from, to, points, source, user);
    }

    @GetMapping("/rejected-frames")
    @Operation(summary = "Frames the gateway refused, newest first (regulators and administrators; frames of known "
            + "devices only within the caller's jurisdiction)")
    RejectedFrames.Page rejectedFrames(@RequestParam(required = false) String reason,
                                       @RequestParam(defaultValue = "0") int page,
                                       @RequestParam(defaultValue = "50") int size, CurrentUser user) {
        return monitoring.rejectedFrames(reason, page, size, user);
    }

    @ExceptionHandler(Monitoring.DuplicateMn.class)
    ProblemDetail duplicate(Monitoring.DuplicateMn e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "该 MN 已登记 / this MN is already registered: " + e.getMessage());
        p.setType(URI.create("https://gongzhi.org/problems/duplicate-mn"));
        p.setTitle("MN 已存在 / MN exists");
        return p;
    }

    @ExceptionHandler(Monitoring.NotConnected.class)
    ProblemDetail notConnected(Monitoring.NotConnected e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "数采仪当前未连接 / the data logger is not connected: " + e.getMessage());
        p.setType(URI.create("https://gongzhi.org/problems/not-connected"));
        p.setTitle("未连接 / Not connected");
        return p;
    }
}
