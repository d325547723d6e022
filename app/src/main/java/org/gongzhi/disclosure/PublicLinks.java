package org.gongzhi.disclosure;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The stable public URL of an outfall, {@code <base>/o/<national code>}: what the QR code on its signboard encodes,
 * so it must not change when the server moves. Set {@code gongzhi.public.base-url} in production (e.g.
 * https://gongzhi.example.gov.cn); without it the URL is built from the request, which is right for a demo only.
 */
@Component
public class PublicLinks {

    private final String baseUrl;

    PublicLinks(@Value("${gongzhi.public.base-url:}") String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String base(HttpServletRequest request) {
        return baseUrl.isBlank() ? ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString()
                : baseUrl;
    }

    public String outfall(String nationalCode, HttpServletRequest request) {
        return base(request) + "/o/" + nationalCode;
    }
}
