package org.gongzhi.platform;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The notice inbox over REST, for integrations that show an organization's reminders elsewhere. */
@RestController
@Tag(name = "Notices 通知", description = "Reminders to the caller's organization (not alerts: nothing to acknowledge)")
class NoticeApi {

    private final Notices notices;

    NoticeApi(Notices notices) {
        this.notices = notices;
    }

    @GetMapping("/api/v1/notices")
    @Operation(summary = "The notices of the caller's organization, newest first; unread=true for those the caller has not read")
    List<Notices.Notice> inbox(@RequestParam(defaultValue = "false") boolean unread,
                               @RequestParam(defaultValue = "200") int limit, CurrentUser user) {
        return notices.inbox(user, unread, limit);
    }

    @PostMapping("/api/v1/notices/{id}/read")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Mark a notice read (for the caller); another organization's notice answers 404")
    void read(@PathVariable long id, CurrentUser user) {
        notices.markRead(id, user);
    }
}
