package org.gongzhi.requests;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bureau's REST API over requests (scoped like the pages), the metrics, the service catalogue and Open311 keys.
 * Contact details are returned to the bureau only, here and on its pages.
 */
@RestController
class RequestApi {

    private final PublicRequests requests;
    private final RequestMetrics metrics;
    private final ServiceCatalogue catalogue;
    private final Open311Clients clients;

    RequestApi(PublicRequests requests, RequestMetrics metrics, ServiceCatalogue catalogue, Open311Clients clients) {
        this.requests = requests;
        this.metrics = metrics;
        this.catalogue = catalogue;
        this.clients = clients;
    }

    @GetMapping("/api/v1/requests")
    List<Request> list(@RequestParam(required = false) Request.Status status, @RequestParam(required = false) String service,
                       @RequestParam(required = false) Boolean overdue, @RequestParam(defaultValue = "false") boolean mine,
                       @RequestParam(required = false) Request.Moderation moderation, @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                       CurrentUser user) {
        if (size < 1 || size > 500 || page < 0) {
            throw new InvalidInputException(FieldProblem.of("size", size, "每页1至500条", "size is 1 to 500"));
        }
        return requests.list(new RequestStore.Filter(status, service == null || service.isBlank() ? null : service, overdue,
                mine, moderation, page, size), user);
    }

    @GetMapping("/api/v1/requests/{id}")
    Map<String, Object> one(@PathVariable long id, CurrentUser user) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request", requests.find(id, user));
        m.put("events", requests.events(id, user));
        return m;
    }

    /** Body of the actions: which fields an action reads is in its name. */
    record Action(String reply, Boolean resolved, Long toOrganization, String reason, String note, Long into,
                  Request.Moderation decision, String inspector, LocalDate day) {
    }

    @PostMapping("/api/v1/requests/{id}/{action}")
    Request act(@PathVariable long id, @PathVariable String action, @RequestBody(required = false) Action body,
                CurrentUser user) {
        Action a = body == null ? new Action(null, null, null, null, null, null, null, null, null) : body;
        return switch (action) {
            case "accept" -> requests.accept(id, user);
            case "reply" -> requests.reply(id, a.reply(), Boolean.TRUE.equals(a.resolved()), user);
            case "transfer" -> requests.transfer(id, required("toOrganization", a.toOrganization()), a.reason(), user);
            case "object" -> requests.object(id, a.reason(), user);
            case "close" -> requests.close(id, a.note(), user);
            case "merge" -> requests.merge(id, required("into", a.into()), user);
            case "moderate" -> requests.moderate(id, a.decision(), user);
            case "inspect" -> {
                requests.scheduleInspection(id, a.inspector(), a.day(), user);
                yield requests.find(id, user);
            }
            default -> throw new NotFoundException("action " + action);
        };
    }

    /** Metrics over an explicit period (no default window in the API). */
    @GetMapping("/api/v1/requests/metrics")
    List<RequestMetrics.Row> metrics(@RequestParam(defaultValue = "UNIT") RequestMetrics.By by,
                                     @RequestParam(required = false) LocalDate from, @RequestParam(required = false) LocalDate to,
                                     CurrentUser user) {
        if (from == null || to == null || to.isBefore(from)) {
            throw new InvalidInputException(FieldProblem.of(from == null ? "from" : "to", from == null ? null : to,
                    "须给出起止日期（YYYY-MM-DD），结束不早于开始", "from and to (YYYY-MM-DD) are required, to not before from"));
        }
        return metrics.compute(by, from, to, user);
    }

    @GetMapping("/api/v1/request-services")
    List<ServiceCatalogue.ServiceType> services() {
        return catalogue.active();
    }

    @PutMapping("/api/v1/request-services/{code}")
    ServiceCatalogue.ServiceType updateService(@PathVariable String code,
                                               @RequestBody(required = false) ServiceCatalogue.Change change, CurrentUser user) {
        return catalogue.update(code, change == null ? new ServiceCatalogue.Change(null, null, null, null, null, null, null) : change, user);
    }

    @PostMapping("/api/v1/request-services")
    @ResponseStatus(HttpStatus.CREATED)
    ServiceCatalogue.ServiceType createService(@RequestBody(required = false) ServiceCatalogue.NewService body,
                                               CurrentUser user) {
        return catalogue.create(body == null ? new ServiceCatalogue.NewService(null, null, null, null, null, null, null,
                null, null, null, null, null, null) : body, user);
    }

    record NewClient(String name) {
    }

    @PostMapping("/api/v1/open311/clients")
    @ResponseStatus(HttpStatus.CREATED)
    Open311Clients.Issued issue(@RequestBody(required = false) NewClient body, CurrentUser user) {
        return clients.issue(body == null ? null : body.name(), user);
    }

    @GetMapping("/api/v1/open311/clients")
    List<Open311Clients.Client> clients(CurrentUser user) {
        return clients.list(user);
    }

    private static long required(String field, Long v) {
        if (v == null) {
            throw new InvalidInputException(FieldProblem.of(field, null, "必填", "required"));
        }
        return v;
    }
}
