package org.gongzhi.disclosure;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The outfall's public page is the one URL the public opens at scale (every signboard's QR code), so it is routed
 * ahead of the annotated controllers: Spring MVC matches a URL with a variable against every annotated mapping in
 * turn (about 300 here), which was a quarter of the page's CPU under load (docs/benchmarks.md, "Public outfall
 * page", session 4). A router function is consulted first and holds this one route. Same filters, security headers,
 * locale ({@code ?lang=en}) and error handling as any other page.
 */
@Configuration(proxyBeanMethods = false)
class PublicPageRoute {

    @Bean
    RouterFunction<ServerResponse> publicOutfallPage(PublicPages pages) {
        // HEAD too, as an annotated GET mapping answers it (link checkers and chat previews ask with HEAD first)
        return RouterFunctions.route(RequestPredicates.methods(HttpMethod.GET, HttpMethod.HEAD)
                .and(RequestPredicates.path("/o/{code}")), pages::page);
    }
}
