package dev.apiary.pdf.callback;

import dev.apiary.common.queue.PermanentFailure;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkHandler;
import dev.apiary.common.queue.WorkItem;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.pdf.config.PdfProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers the final status of a report to its {@code callback_url}: POST of the status JSON, signed (see
 * {@link CallbackSigner}), through its own work queue so failures are retried with exponential backoff on any
 * instance. 2xx ends it; 4xx other than 408/429 dead-letters it at once; anything else is retried.
 */
@Component
public class CallbackSender implements WorkHandler {
    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);
    static final String STREAM = "apiary:pdf:{callbacks}";
    private static final String GROUP = "pdf-service";

    private final ReportStatusSource statuses;
    private final PdfProperties props;
    private final CallbackPolicy policy;
    private final CallbackSigner signer;
    private final WorkQueue queue;
    /** Created on the first delivery: the JDK HTTP client loads TLS and ~450 classes a service without callbacks never needs. */
    private volatile HttpClient http;

    public CallbackSender(WorkQueues queues, ReportStatusSource statuses, PdfProperties props) {
        this.statuses = statuses;
        this.props = props;
        this.policy = new CallbackPolicy(props.callback().allowedHosts());
        this.signer = new CallbackSigner(props.callback().secret());
        this.queue = queues.declare(QueueSettings.of(STREAM, GROUP)
                .withConcurrency(4)
                .withMaxAttempts(props.callback().maxAttempts())
                .withBackoff(props.callback().backoff(), props.callback().maxBackoff()), this);
    }

    private HttpClient http() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                c = http;
                if (c == null) {
                    c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(props.callback().timeout()).build();
                    http = c;
                }
            }
        }
        return c;
    }

    public CallbackPolicy policy() {
        return policy;
    }

    /** Queues the delivery of the report's final status (if it has a callback URL). */
    public void schedule(String reportId, String callbackUrl) {
        if (callbackUrl != null && !callbackUrl.isBlank()) {
            queue.enqueue(Map.of("report", reportId, "url", callbackUrl));
        }
    }

    @Override
    public void handle(WorkItem item) throws Exception {
        String id = item.field("report");
        String url = item.field("url");
        var why = policy.check(url);
        if (why.isPresent()) {
            throw new PermanentFailure("callback for report " + id + " refused: " + why.get());
        }
        Optional<ReportStatusSource.Status> status = statuses.find(id);
        if (status.isEmpty()) {
            log.info("callback for report {} dropped: report no longer exists", id);
            return;
        }
        String body = status.get().json();
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .timeout(props.callback().timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "apiary-pdf-service")
                .header("X-Apiary-Event", "report." + status.get().state())
                .header("X-Apiary-Report-Id", id)
                .header(CallbackSigner.TIMESTAMP_HEADER, Long.toString(ts))
                .header(CallbackSigner.SIGNATURE_HEADER, signer.sign(ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<Void> res = http().send(req, HttpResponse.BodyHandlers.discarding());
        int code = res.statusCode();
        if (code >= 200 && code < 300) {
            log.info("callback for report {} delivered (attempt {}, HTTP {})", id, item.attempt(), code);
            return;
        }
        if (code >= 400 && code < 500 && code != 408 && code != 429) {
            throw new PermanentFailure("callback for report " + id + " answered HTTP " + code);
        }
        throw new IllegalStateException("callback for report " + id + " answered HTTP " + code);
    }
}
