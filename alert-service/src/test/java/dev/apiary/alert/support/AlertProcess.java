package dev.apiary.alert.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.apiary.common.test.ServiceProcess;

/** alert-service as a real child process (common's {@link ServiceProcess}) on the test Redis and sandbox/providers. */
public final class AlertProcess {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final ServiceProcess service;

    private AlertProcess(ServiceProcess service) {
        this.service = service;
    }

    public static AlertProcess start(String name, int database, String... settings) throws Exception {
        Sandbox sb = Sandbox.shared();
        // generous: a Spring Boot start on a loaded 2-core machine has taken over two minutes
        return new AlertProcess(ServiceProcess.start(name, "dev.apiary.alert.AlertApplication", database,
                Duration.ofSeconds(300), port -> List.of(
                        "--apiary.security.api-keys=" + AlertServiceTestBase.KEY,
                        "--apiary.alert.public-base-url=http://localhost:" + port,
                        "--apiary.alert.twilio.base-url=" + sb.url(), "--apiary.alert.mailgun.base-url=" + sb.url() + "/",
                        "--apiary.alert.twilio.sms-segments-per-second=2000", "--apiary.alert.twilio.calls-per-second=500",
                        "--apiary.alert.dispatch.backoff-base=20ms", "--apiary.alert.dispatch.backoff-max=200ms",
                        "--apiary.alert.reconcile.interval=1h"), settings));
    }

    public CompletableFuture<HttpResponse<String>> send(String method, String path, String body,
                                                        Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + service.port + path))
                .timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST an alert with the all-schools key and {@code Idempotency-Key: key}. */
    public CompletableFuture<HttpResponse<String>> create(String body, String key) {
        Map<String, String> h = new HashMap<>(Map.of("Authorization", "Bearer " + AlertServiceTestBase.KEY,
                "Content-Type", "application/json"));
        if (key != null) {
            h.put("Idempotency-Key", key);
        }
        return send("POST", "/api/alerts/v1/alerts", body, h);
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, Map.of("Authorization", "Bearer " + AlertServiceTestBase.KEY)).join();
    }

    /** SIGKILL: no graceful release of anything. */
    public void kill() throws InterruptedException {
        service.kill();
    }
}
