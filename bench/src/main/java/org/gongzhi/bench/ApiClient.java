package org.gongzhi.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gongzhi REST API as the benchmark drivers use it: signs in through the login form like a person, issues
 * itself an API token, then calls the API with it, as an integration would.
 */
public final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private String token;

    public ApiClient(String url) {
        this.url = url;
    }

    /** Signs in with the form (CSRF token included) and issues an API token for all further calls. */
    public String signIn(String user, String password, String tokenName) throws IOException, InterruptedException {
        String csrf = csrf(send(HttpRequest.newBuilder(URI.create(url + "/login")).GET()).body());
        String form = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf);
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        if (login.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("sign-in failed for " + user);
        }
        String pageCsrf = csrf(send(HttpRequest.newBuilder(URI.create(url + "/outfalls/new")).GET()).body());
        HttpResponse<String> t = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/tokens"))
                .header("Content-Type", "application/json").header("X-CSRF-TOKEN", pageCsrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + tokenName + "\"}")));
        token = find(t.body(), "\"token\"\\s*:\\s*\"([^\"]+)\"");
        return token;
    }

    /** GET (json null) or a JSON request; anything but 2xx is an exception naming the call and the answer. */
    public String call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(30));
        if (json == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return ok(method + " " + path, send(b));
    }

    /** Uploads a file as the multipart part "file". */
    public String multipart(String path, String filename, byte[] content) throws IOException, InterruptedException {
        String boundary = "----gongzhi" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return ok("POST " + path, send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))));
    }

    public int status(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).GET()).statusCode();
    }

    private static String ok(String what, HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(what + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String csrf(String html) {
        return find(html, "name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    }

    /** The first group of the first match, or an exception quoting the start of the text. */
    public static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no match for " + regex + " in " + (text.length() > 300 ? text.substring(0, 300) : text));
        }
        return m.group(1);
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
