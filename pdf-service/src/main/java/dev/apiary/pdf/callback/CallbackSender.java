package dev.apiary.pdf.callback;

import dev.apiary.common.queue.PermanentFailure;
import dev.apiary.common.queue.QueueSettings;
import dev.apiary.common.queue.WorkHandler;
import dev.apiary.common.queue.WorkItem;
import dev.apiary.common.queue.WorkQueue;
import dev.apiary.common.queue.WorkQueues;
import dev.apiary.pdf.config.PdfProperties;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.apiary.common.queue.DeadLetter;
import dev.apiary.common.tracing.CurrentTrace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers the final status of a report to its {@code callback_url}: POST of the status JSON, signed (see
 * {@link CallbackSigner}), through its own work queue so failures are retried with exponential backoff on any
 * instance. The URL is checked again when it is sent, and the connection goes only to addresses
 * {@link CallbackAddresses} checked. 2xx ends it; a refused URL or address and 4xx other than 408/429 dead-letter
 * it at once; anything else is retried.
 */
@Component
public class CallbackSender implements WorkHandler {
    private static final Logger log = LoggerFactory.getLogger(CallbackSender.class);
    public static final String STREAM = "apiary:pdf:{callbacks}";
    public static final String GROUP = "pdf-service";

    private final CallbackAddresses addresses;
    private final CallbackSource source;
    private final CallbackSigner signer;
    private final PdfProperties.Callback settings;
    private final WorkQueue queue;
    private final CurrentTrace trace;
    /** Created on the first delivery: a service without callbacks never loads the HTTP client and TLS classes. */
    private volatile CallbackClient client;

    public CallbackSender(WorkQueues queues, CallbackAddresses addresses, CallbackSource source, PdfProperties props,
                          CurrentTrace trace) {
        this.trace = trace;
        this.addresses = addresses;
        this.source = source;
        this.settings = props.callback();
        this.signer = new CallbackSigner(settings.secret());
        this.queue = queues.declare(QueueSettings.of(STREAM, GROUP)
                .withConcurrency(4)
                .withMaxAttempts(settings.maxAttempts())
                .withBackoff(settings.backoff(), settings.maxBackoff()), this);
    }

    /** Empty when {@code url} may be used as a callback now (checked at submit), else why not. */
    public Optional<String> check(String url) {
        return addresses.check(url);
    }

    /** Queues the delivery of the report's final status (if it has a callback URL). */
    public void schedule(String reportId, String schoolId, String callbackUrl) {
        if (callbackUrl != null && !callbackUrl.isBlank()) {
            queue.enqueue(Map.of("report", reportId, DeadLetter.SCHOOL_ID, schoolId, "url", callbackUrl));
        }
    }

    @Override
    public void handle(WorkItem item) throws Exception {
        String id = item.field("report");
        String url = item.field("url");
        CallbackPolicy.Checked<CallbackPolicy.Target> target = addresses.policy().checkUrl(url);
        if (!target.isOk()) {
            throw new PermanentFailure("callback for report " + id + " refused: callback_url " + target.refusal());
        }
        Optional<CallbackSource.Payload> payload = source.payload(id);
        if (payload.isEmpty()) {
            log.info("callback for report {} dropped: report no longer exists", id);
            return;
        }
        String body = payload.get().json();
        long ts = System.currentTimeMillis() / 1000;
        Map<String, String> headers = new LinkedHashMap<>(trace.headers()); // the receiver joins the trace
        headers.put("X-Apiary-Event", "report." + payload.get().state());
        headers.put("X-Apiary-Report-Id", id);
        headers.put(CallbackSigner.TIMESTAMP_HEADER, Long.toString(ts));
        headers.put(CallbackSigner.SIGNATURE_HEADER, signer.sign(ts, body));
        int code;
        try {
            code = client().post(target.value().uri(), headers, body.getBytes(StandardCharsets.UTF_8));
        } catch (CallbackRefusedException e) {
            log.warn("callback for report {} refused at send time: {}", id, e.getMessage());
            throw new PermanentFailure("callback for report " + id + " refused: " + e.getMessage());
        }
        if (code >= 200 && code < 300) {
            log.info("callback for report {} delivered (attempt {}, HTTP {})", id, item.attempt(), code);
            return;
        }
        if (code >= 400 && code < 500 && code != 408 && code != 429) {
            throw new PermanentFailure("callback for report " + id + " answered HTTP " + code);
        }
        throw new IllegalStateException("callback for report " + id + " answered HTTP " + code);
    }

    private CallbackClient client() {
        CallbackClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = new CallbackClient(addresses, settings.timeout());
                    client = c;
                }
            }
        }
        return c;
    }

    @PreDestroy
    void close() throws IOException {
        CallbackClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
