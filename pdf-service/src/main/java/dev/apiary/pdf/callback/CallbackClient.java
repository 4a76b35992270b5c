package dev.apiary.pdf.callback;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs callbacks with Apache HttpClient 5, whose only name resolution is {@link CallbackAddresses} (so it connects
 * to checked addresses only). No redirects, no retries of its own (the callback queue decides), no cookies, no
 * proxy, small pool with idle connections closed.
 */
final class CallbackClient implements AutoCloseable {
    private final CloseableHttpClient http;

    CallbackClient(CallbackAddresses addresses, Duration timeout) {
        Timeout t = Timeout.of(timeout);
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(addresses)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                .setMaxConnTotal(8)
                .setMaxConnPerRoute(4)
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).setConnectionRequestTimeout(t)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent("apiary-pdf-service")
                .build();
    }

    /** Sends {@code body} as JSON with {@code headers}; answers the HTTP status code (the body is discarded). */
    int post(URI url, Map<String, String> headers, byte[] body) throws IOException {
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        return http.execute(post, response -> response.getCode());
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
