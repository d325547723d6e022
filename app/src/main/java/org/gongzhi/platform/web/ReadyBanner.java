package org.gongzhi.platform.web;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells the person who started the server where to open it. */
@Component
class ReadyBanner {

    private final Environment env;

    ReadyBanner(Environment env) {
        this.env = env;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        String port = env.getProperty("local.server.port");
        if (port == null) {
            return; // no web server (e.g. a MockMvc test)
        }
        System.out.println("\n  共治 Gongzhi is ready: http://localhost:" + port + "/   (API docs: /swagger-ui.html)\n");
    }
}
