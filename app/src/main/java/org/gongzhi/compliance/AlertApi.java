package org.gongzhi.compliance;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** REST API of alerts: the caller's inbox, acknowledgement, and the organization's webhook / e-mail channels. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Alerts 告警", description = "Inbox, acknowledgement, webhooks and e-mail")
class AlertApi {

    private final Alerts alerts;
    private final AlertChannels channels;

    AlertApi(Alerts alerts, AlertChannels channels) {
        this.alerts = alerts;
        this.channels = channels;
    }

    record Inbox(long unread, List<Alerts.Alert> alerts) {
    }

    @GetMapping("/alerts")
    @Operation(summary = "Alerts sent to the caller's organization, newest first (?status=OPEN|ACKNOWLEDGED, ?unread=true)")
    Inbox inbox(@RequestParam(required = false) Alerts.Status status, @RequestParam(defaultValue = "false") boolean unread,
                @RequestParam(defaultValue = "100") int limit, CurrentUser user) {
        return new Inbox(alerts.unread(user), alerts.inbox(user, status, unread, limit));
    }

    record AlertDetail(Alerts.Alert alert, List<Alerts.Recipient> recipients) {
    }

    @GetMapping("/alerts/{id}")
    @Operation(summary = "One alert with its recipients (marks it read for the caller); 404 outside the jurisdiction")
    AlertDetail alert(@PathVariable long id, CurrentUser user) {
        return new AlertDetail(alerts.open(id, user), alerts.recipients(id));
    }

    record AcknowledgeInput(String note) {
    }

    @PostMapping("/alerts/{id}/acknowledge")
    @Operation(summary = "Acknowledge an open alert (stops its escalation); regulators, admins and the party")
    Alerts.Alert acknowledge(@PathVariable long id, @RequestBody(required = false) AcknowledgeInput body, CurrentUser user) {
        return alerts.acknowledge(id, body == null ? null : body.note(), user);
    }

    @GetMapping("/alert-channels")
    @Operation(summary = "Webhooks and e-mail addresses of the caller's organization (keys are never shown again)")
    List<AlertChannels.Channel> channels(CurrentUser user) {
        return channels.channels(user);
    }

    record ChannelInput(AlertChannels.Kind kind, String target) {
    }

    @PostMapping("/alert-channels")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a webhook (answer carries its HMAC-SHA256 key, shown only now) or an e-mail address")
    AlertChannels.Created create(@RequestBody ChannelInput body, CurrentUser user) {
        return channels.create(body.kind(), body.target(), user);
    }

    @DeleteMapping("/alert-channels/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a channel of the caller's organization")
    void delete(@PathVariable long id, CurrentUser user) {
        channels.delete(id, user);
    }

    record DeliveryLog(AlertChannels.Channel channel, List<AlertChannels.Delivery> deliveries,
                       List<AlertChannels.Attempt> attempts) {
    }

    @GetMapping("/alert-channels/{id}/deliveries")
    @Operation(summary = "The delivery log of a channel: every delivery and every attempt with its outcome")
    DeliveryLog deliveries(@PathVariable long id, CurrentUser user) {
        return new DeliveryLog(channels.own(id, user), channels.deliveries(id, user), channels.attempts(id, user));
    }
}
