package dev.apiary.sandbox.providers.twilio;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.sandbox.providers.sim.Callbacks;
import dev.apiary.sandbox.providers.sim.Gate;
import dev.apiary.sandbox.providers.sim.GroundTruth;
import dev.apiary.sandbox.providers.sim.Outcomes;
import dev.apiary.sandbox.providers.sim.SmsSegments;
import dev.apiary.sandbox.providers.sim.SimConfig;
import dev.apiary.sandbox.providers.sim.SimSettings;

/** The Twilio 2010-04-01 Messages and Calls resources, as far as twilio-java needs them. */
@RestController
@RequestMapping(value = "/2010-04-01/Accounts/{account}", produces = "application/json")
public class TwilioController {
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{6,14}$");
    private static final DateTimeFormatter RFC2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);

    /** A message or call as the simulator keeps it; its status is a function of time. */
    record Res(String sid, String kind, String account, String to, String from, String serviceSid, String body,
               int segments, long createdMs, long progressAtMs, long finalAtMs, String finalStatus,
               String errorCode, String answeredBy) {
        String statusAt(long now) {
            if (now >= finalAtMs) {
                return finalStatus;
            }
            if (now >= progressAtMs) {
                return kind.equals("sms") ? "sent" : "in-progress";
            }
            return "queued";
        }
    }

    private final SimSettings settings;
    private final Gate gate;
    private final GroundTruth truth;
    private final Callbacks callbacks;
    private final Map<String, Res> store = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private final StopList stops;

    public TwilioController(SimSettings settings, Gate gate, GroundTruth truth, Callbacks callbacks, StopList stops) {
        this.stops = stops;
        this.settings = settings;
        this.gate = gate;
        this.truth = truth;
        this.callbacks = callbacks;
    }

    public void clear() {
        store.clear();
        seen.clear();
        stops.clear();
    }

    @PostMapping("/Messages.json")
    public ResponseEntity<Map<String, Object>> createMessage(@PathVariable String account,
            @RequestHeader(value = "Authorization", required = false) String auth,
            @RequestHeader(value = "traceparent", required = false) String traceparent,
            @RequestParam MultiValueMap<String, String> form) {
        SimConfig c = settings.get();
        ResponseEntity<Map<String, Object>> denied = authenticate(c, account, auth);
        if (denied != null) {
            return denied;
        }
        String to = form.getFirst("To");
        String from = form.getFirst("From");
        String service = form.getFirst("MessagingServiceSid");
        String body = form.getFirst("Body");
        if (to == null || to.isBlank()) {
            return error(400, 21604, "A 'To' phone number is required.");
        }
        if (body == null || body.isBlank()) {
            return error(400, 21602, "Message body is required.");
        }
        if ((from == null || from.isBlank()) && (service == null || service.isBlank())) {
            return error(400, 21603, "A 'From' phone number is required.");
        }
        int segments = SmsSegments.count(body);
        try (AutoCloseable ignored = gate.enter("twilio")) {
            gate.maybeTransient429("twilio");
            gate.take("twilio", "sms:" + (service != null && !service.isBlank() ? service : from),
                    c.smsSegmentsPerSecond(), segments);
            truth.attempt("sms", to);
            String sfx = Outcomes.suffix(to);
            if (gate.randomServerError() || sfx.equals("9905") || (sfx.equals("9910") && first("5xx", to))) {
                truth.count("twilio_500");
                return error(500, 20500, "Internal Server Error");
            }
            if (sfx.equals("9906") && first("429", to)) {
                truth.count("twilio_429_number");
                throw new Gate.TooManyRequests("number", 1);
            }
            Integer reject = smsRejection(c, to, sfx);
            if (reject == null && stops.blocked(service != null && !service.isBlank() ? service : from, to)) {
                reject = 21610;
            }
            if (reject != null) {
                truth.rejected("sms", to, reject);
                return error(400, reject, switch (reject) {
                    case 21211 -> "The 'To' number is not a valid phone number.";
                    case 21614 -> "'To' number is not a valid mobile number";
                    default -> "Attempt to send to unsubscribed recipient";
                });
            }
            boolean carrierFail = sfx.equals("9904")
                    || Outcomes.hash(c.seed(), "carrier", to) < c.carrierFailureRate();
            String finalStatus = carrierFail ? "undelivered" : "delivered";
            String errorCode = carrierFail ? "30003" : null;
            Res res = newRes("SM", "sms", account, to, from, service, body, segments, finalStatus, errorCode, null,
                    c, !sfx.equals("9909"), form.getFirst("StatusCallback"), List.of());
            truth.accepted("sms", to, res.sid(), finalStatus, errorCode);
            truth.content("sms", to, body);
            truth.traceparent("sms", to, traceparent);
            if (sfx.equals("9911") && first("ambiguous", to)) {
                truth.count("twilio_500_after_accept");
                return error(500, 20500, "Internal Server Error");
            }
            // as at creation (status queued), like Twilio: never a later state that a callback already announced
            return ResponseEntity.status(201).body(messageJson(res, res.createdMs()));
        } catch (Gate.TooManyRequests e) {
            return tooMany(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** List (newest first) filtered by To / From: what a client uses to find out whether a send it lost went out. */
    @GetMapping("/Messages.json")
    public ResponseEntity<Map<String, Object>> listMessages(@PathVariable String account,
            @RequestHeader(value = "Authorization", required = false) String auth,
            @RequestParam(value = "To", required = false) String to,
            @RequestParam(value = "From", required = false) String from,
            @RequestParam(value = "PageSize", defaultValue = "50") int pageSize) {
        return list(account, auth, "sms", "messages", "Messages", to, from, pageSize);
    }

    @GetMapping("/Calls.json")
    public ResponseEntity<Map<String, Object>> listCalls(@PathVariable String account,
            @RequestHeader(value = "Authorization", required = false) String auth,
            @RequestParam(value = "To", required = false) String to,
            @RequestParam(value = "From", required = false) String from,
            @RequestParam(value = "PageSize", defaultValue = "50") int pageSize) {
        return list(account, auth, "voice", "calls", "Calls", to, from, pageSize);
    }

    private ResponseEntity<Map<String, Object>> list(String account, String auth, String kind, String key,
                                                     String resource, String to, String from, int pageSize) {
        ResponseEntity<Map<String, Object>> denied = authenticate(settings.get(), account, auth);
        if (denied != null) {
            return denied;
        }
        long now = System.currentTimeMillis();
        List<Map<String, Object>> items = store.values().stream()
                .filter(r -> r.kind().equals(kind) && (to == null || to.equals(r.to()))
                        && (from == null || from.equals(r.from())))
                .sorted(java.util.Comparator.comparingLong(Res::createdMs).reversed())
                .limit(Math.max(1, Math.min(pageSize, 1000)))
                .map(r -> kind.equals("sms") ? messageJson(r, now) : callJson(r, now)).toList();
        String uri = "/2010-04-01/Accounts/" + account + "/" + resource + ".json";
        Map<String, Object> page = new LinkedHashMap<>();
        page.put(key, items);
        page.put("uri", uri);
        page.put("first_page_uri", uri);
        page.put("next_page_uri", null);
        page.put("previous_page_uri", null);
        page.put("page", 0);
        page.put("page_size", pageSize);
        page.put("start", 0);
        page.put("end", Math.max(0, items.size() - 1));
        return ResponseEntity.ok(page);
    }

    @GetMapping("/Messages/{sid}.json")
    public ResponseEntity<Map<String, Object>> fetchMessage(@PathVariable String account, @PathVariable String sid,
            @RequestHeader(value = "Authorization", required = false) String auth) {
        ResponseEntity<Map<String, Object>> denied = authenticate(settings.get(), account, auth);
        if (denied != null) {
            return denied;
        }
        Res res = store.get(sid);
        if (res == null || !res.kind().equals("sms")) {
            return error(404, 20404, "The requested resource was not found");
        }
        return ResponseEntity.ok(messageJson(res, System.currentTimeMillis()));
    }

    @PostMapping("/Calls.json")
    public ResponseEntity<Map<String, Object>> createCall(@PathVariable String account,
            @RequestHeader(value = "Authorization", required = false) String auth,
            @RequestHeader(value = "traceparent", required = false) String traceparent,
            @RequestParam MultiValueMap<String, String> form) {
        SimConfig c = settings.get();
        ResponseEntity<Map<String, Object>> denied = authenticate(c, account, auth);
        if (denied != null) {
            return denied;
        }
        String to = form.getFirst("To");
        String from = form.getFirst("From");
        if (to == null || to.isBlank()) {
            return error(400, 21201, "No 'To' number is specified");
        }
        if (from == null || from.isBlank()) {
            return error(400, 21213, "No 'From' number is specified");
        }
        String twiml = form.getFirst("Twiml");
        if ((twiml == null || twiml.isBlank()) && form.getFirst("Url") == null) {
            return error(400, 21205, "Url or Twiml parameter is required");
        }
        try (AutoCloseable ignored = gate.enter("twilio")) {
            gate.maybeTransient429("twilio");
            gate.take("twilio", "calls:" + account, c.callsPerSecond(), 1);
            truth.attempt("voice", to);
            String sfx = Outcomes.suffix(to);
            if (gate.randomServerError() || sfx.equals("9905") || (sfx.equals("9910") && first("5xx-call", to))) {
                truth.count("twilio_500");
                return error(500, 20500, "Internal Server Error");
            }
            if (sfx.equals("9906") && first("429-call", to)) {
                truth.count("twilio_429_number");
                throw new Gate.TooManyRequests("number", 1);
            }
            if (!E164.matcher(to).matches() || sfx.equals("9901")
                    || Outcomes.hash(c.seed(), "invalid", to) < c.invalidNumberRate()) {
                truth.rejected("voice", to, 21211);
                return error(400, 21211, "The 'To' number is not a valid phone number.");
            }
            double h = Outcomes.hash(c.seed(), "voice", to);
            String finalStatus;
            if (sfx.equals("9907") || h < c.voiceBusyRate()) {
                finalStatus = "busy";
            } else if (sfx.equals("9908") || h < c.voiceBusyRate() + c.voiceNoAnswerRate()) {
                finalStatus = "no-answer";
            } else if (sfx.equals("9904") || Outcomes.hash(c.seed(), "carrier", to) < c.carrierFailureRate()) {
                finalStatus = "failed";
            } else {
                finalStatus = "completed";
            }
            String answeredBy = form.getFirst("MachineDetection") == null || !finalStatus.equals("completed") ? null
                    : (Outcomes.hash(c.seed(), "amd", to) < 0.2 ? "machine_start" : "human");
            List<String> events = form.getOrDefault("StatusCallbackEvent", List.of());
            Res res = newRes("CA", "voice", account, to, from, null, twiml, 0, finalStatus, null, answeredBy, c,
                    !sfx.equals("9909"), form.getFirst("StatusCallback"), events);
            truth.accepted("voice", to, res.sid(), finalStatus, null);
            truth.content("voice", to, twiml);
            truth.traceparent("voice", to, traceparent);
            return ResponseEntity.status(201).body(callJson(res, res.createdMs()));
        } catch (Gate.TooManyRequests e) {
            return tooMany(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @GetMapping("/Calls/{sid}.json")
    public ResponseEntity<Map<String, Object>> fetchCall(@PathVariable String account, @PathVariable String sid,
            @RequestHeader(value = "Authorization", required = false) String auth) {
        ResponseEntity<Map<String, Object>> denied = authenticate(settings.get(), account, auth);
        if (denied != null) {
            return denied;
        }
        Res res = store.get(sid);
        if (res == null || !res.kind().equals("voice")) {
            return error(404, 20404, "The requested resource was not found");
        }
        return ResponseEntity.ok(callJson(res, System.currentTimeMillis()));
    }

    private Integer smsRejection(SimConfig c, String to, String sfx) {
        if (!E164.matcher(to).matches() || sfx.equals("9901")
                || Outcomes.hash(c.seed(), "invalid", to) < c.invalidNumberRate()) {
            return 21211;
        }
        if (sfx.equals("9902")) {
            return 21614;
        }
        if (sfx.equals("9903") || Outcomes.hash(c.seed(), "stop", to) < c.stopRate()) {
            return 21610;
        }
        return null;
    }

    private boolean first(String kind, String to) {
        return seen.add(kind + ":" + to);
    }

    private Res newRes(String prefix, String kind, String account, String to, String from, String service,
                       String body, int segments, String finalStatus, String errorCode, String answeredBy,
                       SimConfig c, boolean sendFinal, String callbackUrl, List<String> callEvents) {
        byte[] rnd = new byte[16];
        ThreadLocalRandom.current().nextBytes(rnd);
        String sid = prefix + HexFormat.of().formatHex(rnd);
        long now = System.currentTimeMillis();
        int min = Math.max(0, c.callbackMinDelayMs());
        int max = Math.max(min, c.callbackMaxDelayMs());
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long progressDelay = Math.max(1, min + r.nextInt(max - min + 1));   // after creation: created is "queued"
        long finalDelay = progressDelay + min + r.nextInt(max - min + 1);
        Res res = new Res(sid, kind, account, to, from, service, body, segments, now, now + progressDelay,
                now + finalDelay, finalStatus, errorCode, answeredBy);
        store.put(sid, res);
        if (c.callbacksEnabled() && callbackUrl != null && !callbackUrl.isBlank()) {
            scheduleCallbacks(res, c, sendFinal, callbackUrl, callEvents, progressDelay, finalDelay);
        }
        return res;
    }

    private void scheduleCallbacks(Res res, SimConfig c, boolean sendFinal, String url, List<String> callEvents,
                                   long progressDelay, long finalDelay) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<String> steps = new ArrayList<>();
        if (res.kind().equals("sms")) {
            steps.add("sent");
        } else {
            List<String> wanted = callEvents.stream().flatMap(e -> List.of(e.split("[ ,]+")).stream()).toList();
            if (wanted.contains("initiated")) {
                steps.add("initiated");
            }
            if (wanted.contains("ringing")) {
                steps.add("ringing");
            }
            if (wanted.contains("answered") && res.finalStatus().equals("completed")) {
                steps.add("in-progress");
            }
        }
        boolean swap = r.nextDouble() < c.outOfOrderRate();
        long step = steps.isEmpty() ? 0 : Math.max(1, progressDelay / steps.size());
        for (int i = 0; i < steps.size(); i++) {
            String s = steps.get(i);
            long at = swap ? finalDelay + 20 + i * step : (i + 1) * step;
            int seq = i;
            callbacks.schedule(at, () -> post(res, c, url, s, seq));
        }
        if (sendFinal) {
            callbacks.schedule(finalDelay, () -> post(res, c, url, res.finalStatus(), steps.size()));
            if (r.nextDouble() < c.duplicateCallbackRate()) {
                callbacks.schedule(finalDelay + 30 + r.nextInt(200),
                        () -> post(res, c, url, res.finalStatus(), steps.size()));
            }
        }
    }

    private void post(Res res, SimConfig c, String url, String status, int seq) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", res.account());
        p.put("From", res.from() == null ? "" : res.from());
        p.put("To", res.to());
        p.put("ApiVersion", "2010-04-01");
        if (res.kind().equals("sms")) {
            p.put("MessageSid", res.sid());
            p.put("SmsSid", res.sid());
            p.put("MessageStatus", status);
            p.put("SmsStatus", status);
            if (res.serviceSid() != null) {
                p.put("MessagingServiceSid", res.serviceSid());
            }
            if (res.errorCode() != null && status.equals(res.finalStatus())) {
                p.put("ErrorCode", res.errorCode());
            }
        } else {
            p.put("CallSid", res.sid());
            p.put("CallStatus", status);
            p.put("Direction", "outbound-api");
            p.put("SequenceNumber", Integer.toString(seq));
            p.put("CallbackSource", "call-progress-events");
            p.put("Timestamp", RFC2822.format(ZonedDateTime.now(ZoneOffset.UTC)));
            if (status.equals(res.finalStatus())) {
                p.put("CallDuration", status.equals("completed") ? "12" : "0");
                if (res.answeredBy() != null) {
                    p.put("AnsweredBy", res.answeredBy());
                }
            }
        }
        callbacks.postTwilio(url, c.authToken(), p);
    }

    private Map<String, Object> messageJson(Res res, long now) {
        Map<String, Object> m = common(res, now);
        m.put("body", res.body());
        m.put("num_segments", Integer.toString(res.segments()));
        m.put("num_media", "0");
        m.put("messaging_service_sid", res.serviceSid());
        String status = res.statusAt(now);
        m.put("status", status);
        m.put("error_code", status.equals(res.finalStatus()) && res.errorCode() != null
                ? Integer.valueOf(res.errorCode()) : null);
        m.put("error_message", null);
        m.put("date_sent", now >= res.progressAtMs() ? date(res.progressAtMs()) : null);
        m.put("uri", "/2010-04-01/Accounts/" + res.account() + "/Messages/" + res.sid() + ".json");
        return m;
    }

    private Map<String, Object> callJson(Res res, long now) {
        Map<String, Object> m = common(res, now);
        m.put("status", res.statusAt(now));
        m.put("answered_by", now >= res.finalAtMs() ? res.answeredBy() : null);
        m.put("to_formatted", res.to());
        m.put("from_formatted", res.from());
        m.put("start_time", null);
        m.put("end_time", null);
        m.put("duration", null);
        m.put("uri", "/2010-04-01/Accounts/" + res.account() + "/Calls/" + res.sid() + ".json");
        return m;
    }

    private Map<String, Object> common(Res res, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sid", res.sid());
        m.put("account_sid", res.account());
        m.put("to", res.to());
        m.put("from", res.from());
        m.put("direction", "outbound-api");
        m.put("api_version", "2010-04-01");
        m.put("price", null);
        m.put("price_unit", "USD");
        m.put("date_created", date(res.createdMs()));
        m.put("date_updated", date(now));
        m.put("subresource_uris", Map.of());
        return m;
    }

    private static String date(long ms) {
        return RFC2822.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(ms), ZoneOffset.UTC));
    }

    private ResponseEntity<Map<String, Object>> authenticate(SimConfig c, String account, String header) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (c.accountSid() + ":" + c.authToken()).getBytes(StandardCharsets.UTF_8));
        if (header == null || !header.equals(expected) || !account.equals(c.accountSid())) {
            return error(401, 20003, "Authenticate");
        }
        return null;
    }

    private ResponseEntity<Map<String, Object>> tooMany(Gate.TooManyRequests e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header("Retry-After", Long.toString(e.retryAfterSeconds))
                .body(body(429, 20429, "Too Many Requests"));
    }

    static ResponseEntity<Map<String, Object>> error(int status, int code, String message) {
        return ResponseEntity.status(status).body(body(status, code, message));
    }

    private static Map<String, Object> body(int status, int code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        m.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        m.put("status", status);
        return m;
    }
}
