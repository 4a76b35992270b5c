package dev.apiary.gradebook.support;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny real HTTP client for the service under test. */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    public HttpResponse<String> get(String path, String token) {
        return send(req(path, token).GET().build());
    }

    public HttpResponse<String> put(String path, String token, String json) {
        return send(req(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A PUT with extra headers (name, value, name, value...). */
    public HttpResponse<String> put(String path, String token, String json, String... headers) {
        HttpRequest.Builder b = req(path, token).header("Content-Type", "application/json");
        if (headers.length > 0) b.headers(headers);
        return send(b.PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A GET with extra headers (name, value, name, value...). */
    public HttpResponse<String> get(String path, String token, String... headers) {
        HttpRequest.Builder b = req(path, token);
        if (headers.length > 0) b.headers(headers);
        return send(b.GET().build());
    }

    public HttpResponse<String> post(String path, String token, String json) {
        return send(req(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpRequest.Builder req(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private static HttpResponse<String> send(HttpRequest r) {
        try {
            return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    public static HttpClient client() {
        return CLIENT;
    }
}
