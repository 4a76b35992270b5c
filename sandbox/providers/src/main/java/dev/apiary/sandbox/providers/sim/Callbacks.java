package dev.apiary.sandbox.providers.sim;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends signed status callbacks (Twilio form posts, Mailgun JSON webhooks) at a scheduled time. */
public final class Callbacks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("callback-timer").daemon().factory());
    private final HttpClient http = HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final GroundTruth truth;
    /** Callbacks in flight at once (a provider does not open thousands of connections to one customer). */
    private final java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(64);

    public Callbacks(GroundTruth truth) {
        this.truth = truth;
    }

    /** X-Twilio-Signature: Base64(HMAC-SHA1(auth token, url + each sorted param name + value)). */
    public static String twilioSignature(String authToken, String url, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> sb.append(k).append(v));
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, sb.toString()));
    }

    /** Mailgun webhook signature: hex(HMAC-SHA256(signing key, timestamp + token)). */
    public static String mailgunSignature(String signingKey, String timestamp, String token) {
        return HexFormat.of().formatHex(hmac("HmacSHA256", signingKey, timestamp + token));
    }

    private static byte[] hmac(String alg, String key, String data) {
        try {
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), alg));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void schedule(long delayMs, Runnable r) {
        timer.schedule(() -> Thread.ofVirtual().start(r), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    public void postTwilio(String url, String authToken, Map<String, String> params) {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> {
            if (!body.isEmpty()) {
                body.append('&');
            }
            body.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", twilioSignature(authToken, url, params))
                .header("I-Twilio-Idempotency-Token", java.util.UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        send(req, "twilio");
    }

    /** What a webhook answered to a synchronous post. */
    public record Answer(int status, String contentType, String body) {
    }

    /** An inbound-message webhook, signed like Twilio's, posted now; answers what the receiver answered. */
    public Answer postTwilioNow(String url, String authToken, Map<String, String> params) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", twilioSignature(authToken, url, params))
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build();
        return now(req, "twilio_inbound");
    }

    /** A JSON webhook posted now; answers what the receiver answered. */
    public Answer postJsonNow(String url, String json) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return now(req, "mailgun_event");
    }

    private Answer now(HttpRequest req, String kind) {
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            truth.count(kind + "_" + resp.statusCode());
            return new Answer(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""), resp.body());
        } catch (java.io.IOException e) {
            truth.count(kind + "_error_" + e.getClass().getSimpleName());
            return new Answer(0, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", "interrupted");
        }
    }

    private static String form(Map<String, String> params) {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> {
            if (!body.isEmpty()) {
                body.append('&');
            }
            body.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return body.toString();
    }

    public void postJson(String url, String json) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        send(req, "mailgun");
    }

    private void send(HttpRequest req, String kind) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
            truth.count(kind + "_callbacks_" + resp.statusCode());
        } catch (Exception e) {
            truth.count(kind + "_callbacks_error_" + e.getClass().getSimpleName());
            log.debug("callback failed: {}", e.toString());
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        http.close();
    }
}
