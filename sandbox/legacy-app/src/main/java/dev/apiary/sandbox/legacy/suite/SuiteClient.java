package dev.apiary.sandbox.legacy.suite;

import dev.apiary.sandbox.legacy.LegacyProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The legacy app as the services' API client: plain HTTP with the API key, through nginx (apiary.legacy.suite-url).
 * Every write names the legacy user behind it in {@code X-Apiary-Actor} (the office user of the demo pages,
 * {@code apiary.legacy.office-user}), so the services record who asked, not only which client.
 */
@Component
public class SuiteClient {
    static final String ACTOR_HEADER = "X-Apiary-Actor";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final LegacyProperties props;

    public SuiteClient(LegacyProperties props) {
        this.props = props;
    }

    public HttpResponse<String> postJson(String path, String json, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) b.header("Idempotency-Key", idempotencyKey);
        if (props.officeUser() != null && !props.officeUser().isBlank()) b.header(ACTOR_HEADER, props.officeUser());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A streamed GET (SSE, files): the caller closes the body. */
    public HttpResponse<InputStream> stream(String path, String accept) throws IOException, InterruptedException {
        return http.send(request(path).header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(props.suiteUrl() + path))
                .header("Authorization", "Bearer " + props.apiKey());
    }
}
