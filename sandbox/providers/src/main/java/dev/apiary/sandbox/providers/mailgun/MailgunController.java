package dev.apiary.sandbox.providers.mailgun;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
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
import dev.apiary.sandbox.providers.sim.SimConfig;
import dev.apiary.sandbox.providers.sim.SimSettings;
import tools.jackson.databind.ObjectMapper;

/** The Mailgun v3 messages API (batch sending with recipient-variables) and the events API. */
@RestController
@RequestMapping(value = "/v3/{domain}", produces = "application/json")
public class MailgunController {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$");
    private static final Pattern RECIPIENT_VAR = Pattern.compile("%recipient\\.([A-Za-z0-9_\\-]+)%");

    private final SimSettings settings;
    private final Gate gate;
    private final GroundTruth truth;
    private final Callbacks callbacks;
    private final ObjectMapper json;
    /** message id -> events (for the events API). */
    private final Map<String, List<Map<String, Object>>> events = new ConcurrentHashMap<>();

    public MailgunController(SimSettings settings, Gate gate, GroundTruth truth, Callbacks callbacks,
                             ObjectMapper json) {
        this.settings = settings;
        this.gate = gate;
        this.truth = truth;
        this.callbacks = callbacks;
        this.json = json;
    }

    public void clear() {
        events.clear();
    }

    @PostMapping("/messages")
    public ResponseEntity<Map<String, Object>> send(@PathVariable String domain,
            @RequestHeader(value = "Authorization", required = false) String auth, HttpServletRequest request) {
        SimConfig c = settings.get();
        if (!authorized(c, auth)) {
            return ResponseEntity.status(401).body(Map.of("message", "Invalid private key"));
        }
        String from = request.getParameter("from");
        List<String> to = new ArrayList<>();
        String[] toValues = request.getParameterValues("to");
        if (toValues != null) {
            for (String v : toValues) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        to.add(part.trim());
                    }
                }
            }
        }
        if (from == null || from.isBlank()) {
            return bad("'from' parameter is missing");
        }
        if (to.isEmpty()) {
            return bad("'to' parameter is missing");
        }
        if (to.size() > 1000) {
            return bad("Too many recipients: the maximum is 1000");
        }
        Map<String, Map<String, Object>> recipientVars = Map.of();
        String rv = request.getParameter("recipient-variables");
        if (rv != null && !rv.isBlank()) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> parsed = json.readValue(rv, Map.class);
                recipientVars = parsed;
            } catch (Exception e) {
                return bad("recipient-variables parameter is not a valid JSON");
            }
        }
        Map<String, String> userVars = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            if (k.startsWith("v:") && v.length > 0) {
                userVars.put(k.substring(2), v[0]);
            }
        });
        try (AutoCloseable ignored = gate.enter("mailgun")) {
            gate.maybeTransient429("mailgun");
            gate.take("mailgun", "mailgun:" + domain, c.mailgunRequestsPerSecond(), 1);
            truth.count("mailgun_requests");
            if (gate.randomServerError()) {
                truth.count("mailgun_500");
                return ResponseEntity.status(500).body(Map.of("message", "Internal Server Error"));
            }
            for (String addr : to) {
                truth.attempt("email", address(addr));
                if (!EMAIL.matcher(address(addr)).matches() || local(addr).startsWith("invalid")) {
                    return bad("to parameter is not a valid address. please check documentation");
                }
            }
            byte[] rnd = new byte[8];
            ThreadLocalRandom.current().nextBytes(rnd);
            String id = "<" + System.currentTimeMillis() + "." + HexFormat.of().formatHex(rnd) + "@" + domain + ">";
            List<Map<String, Object>> evs = new CopyOnWriteArrayList<>();
            events.put(id, evs);
            for (String raw : to) {
                String addr = address(raw);
                Map<String, Object> vars = new LinkedHashMap<>();
                Map<String, Object> mine = recipientVars.getOrDefault(addr, recipientVars.getOrDefault(raw, Map.of()));
                userVars.forEach((k, v) -> vars.put(k, substitute(v, mine)));
                String lp = local(addr);
                boolean bounce = lp.startsWith("bounce") || Outcomes.hash(c.seed(), "bounce", addr) < c.emailBounceRate();
                String finalStatus = bounce ? "failed" : "delivered";
                truth.accepted("email", addr, id, finalStatus, bounce ? "550" : null);
                truth.content("email", addr, request.getParameter("subject") + "\n" + request.getParameter("text"));
                truth.traceparent("email", addr, request.getHeader("traceparent"));
                evs.add(event("accepted", id, addr, vars, null));
                ThreadLocalRandom r = ThreadLocalRandom.current();
                int min = Math.max(0, c.callbackMinDelayMs());
                int max = Math.max(min, c.callbackMaxDelayMs());
                long delay = min + r.nextInt(max - min + 1);
                if (lp.startsWith("soft")) {
                    Map<String, Object> temp = event("failed", id, addr, vars, "temporary");
                    evs.add(temp);
                    webhook(c, temp, delay / 2);
                }
                Map<String, Object> fin = event(finalStatus, id, addr, vars, bounce ? "permanent" : null);
                evs.add(fin);
                if (!lp.startsWith("drop")) {
                    webhook(c, fin, delay);
                    if (r.nextDouble() < c.duplicateCallbackRate()) {
                        webhook(c, fin, delay + 30 + r.nextInt(200));
                    }
                }
            }
            return ResponseEntity.ok(Map.of("id", id, "message", "Queued. Thank you."));
        } catch (Gate.TooManyRequests e) {
            return ResponseEntity.status(429).header("Retry-After", Long.toString(e.retryAfterSeconds))
                    .body(Map.of("message", "Too many requests"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @GetMapping("/events")
    public ResponseEntity<Map<String, Object>> events(@PathVariable String domain,
            @RequestHeader(value = "Authorization", required = false) String auth,
            @RequestParam(value = "message-id", required = false) String messageId,
            @RequestParam(value = "recipient", required = false) String recipient) {
        if (!authorized(settings.get(), auth)) {
            return ResponseEntity.status(401).body(Map.of("message", "Invalid private key"));
        }
        List<Map<String, Object>> items = new ArrayList<>();
        long now = System.currentTimeMillis();
        events.forEach((id, list) -> {
            if (messageId != null && !messageId.isBlank() && !stripBrackets(id).equals(stripBrackets(messageId))) {
                return;
            }
            for (Map<String, Object> e : list) {
                if ((recipient == null || recipient.equalsIgnoreCase((String) e.get("recipient")))
                        && ((Number) e.get("_at")).longValue() <= now) {
                    Map<String, Object> copy = new LinkedHashMap<>(e);
                    copy.remove("_at");
                    items.add(copy);
                }
            }
        });
        Map<String, Object> paging = new LinkedHashMap<>();
        String base = "/v3/" + domain + "/events/";
        paging.put("next", base + "next");
        paging.put("previous", base + "previous");
        paging.put("first", base + "first");
        paging.put("last", base + "last");
        return ResponseEntity.ok(Map.of("items", items, "paging", paging));
    }

    /**
     * A recipient's own action on the latest message sent to them ({@code unsubscribed}, {@code complained}): the
     * event as Mailgun would post it (with that message's user-variables), recorded for the events API; null if
     * nothing was sent to the address.
     */
    public Map<String, Object> recipientEvent(String type, String recipient) {
        String addr = address(recipient);
        String latestId = null;
        Map<String, Object> latest = null;
        double latestAt = -1;
        for (var e : events.entrySet()) {
            for (Map<String, Object> ev : e.getValue()) {
                if ("accepted".equals(ev.get("event")) && addr.equals(ev.get("recipient"))
                        && ((Number) ev.get("timestamp")).doubleValue() >= latestAt) {
                    latestAt = ((Number) ev.get("timestamp")).doubleValue();
                    latest = ev;
                    latestId = e.getKey();
                }
            }
        }
        if (latest == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) latest.get("user-variables");
        Map<String, Object> ev = event(type, latestId, addr, vars, null);
        events.get(latestId).add(ev);
        Map<String, Object> data = new LinkedHashMap<>(ev);
        data.remove("_at");
        return data;
    }

    /** A webhook body with a fresh signature (timestamp, token) over {@code eventData}. */
    public String signedBody(SimConfig c, Map<String, Object> eventData) {
        byte[] rnd = new byte[25];
        ThreadLocalRandom.current().nextBytes(rnd);
        String token = HexFormat.of().formatHex(rnd);
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        return json.writeValueAsString(Map.of("signature", Map.of("timestamp", ts, "token", token,
                "signature", Callbacks.mailgunSignature(c.mailgunSigningKey(), ts, token)), "event-data", eventData));
    }

    private void webhook(SimConfig c, Map<String, Object> event, long delayMs) {
        event.put("_at", System.currentTimeMillis() + delayMs);
        if (!c.callbacksEnabled() || c.mailgunWebhookUrl().isBlank()) {
            return;
        }
        callbacks.schedule(delayMs, () -> {
            byte[] rnd = new byte[25];
            ThreadLocalRandom.current().nextBytes(rnd);
            String token = HexFormat.of().formatHex(rnd);
            String ts = Long.toString(System.currentTimeMillis() / 1000);
            Map<String, Object> eventData = new LinkedHashMap<>(event);
            eventData.remove("_at");
            Map<String, Object> body = Map.of("signature", Map.of("timestamp", ts, "token", token,
                    "signature", Callbacks.mailgunSignature(c.mailgunSigningKey(), ts, token)),
                    "event-data", eventData);
            callbacks.postJson(c.mailgunWebhookUrl(), json.writeValueAsString(body));
        });
    }

    private static Map<String, Object> event(String type, String messageId, String recipient,
                                             Map<String, Object> vars, String severity) {
        Map<String, Object> e = new ConcurrentHashMap<>();
        byte[] rnd = new byte[11];
        ThreadLocalRandom.current().nextBytes(rnd);
        e.put("id", HexFormat.of().formatHex(rnd));
        e.put("event", type);
        e.put("timestamp", System.currentTimeMillis() / 1000.0);
        e.put("recipient", recipient);
        e.put("message", Map.of("headers", Map.of("message-id", stripBrackets(messageId))));
        e.put("user-variables", vars);
        e.put("_at", System.currentTimeMillis());
        if (severity != null) {
            e.put("severity", severity);
            e.put("reason", severity.equals("permanent") ? "bounce" : "generic");
            e.put("delivery-status", Map.of("code", severity.equals("permanent") ? 550 : 421,
                    "message", severity.equals("permanent") ? "mailbox unavailable" : "try again later"));
        } else if (type.equals("delivered")) {
            e.put("delivery-status", Map.of("code", 250, "message", "OK"));
        }
        return e;
    }

    private static String substitute(String value, Map<String, Object> vars) {
        Matcher m = RECIPIENT_VAR.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = vars.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String address(String raw) {
        int lt = raw.indexOf('<');
        int gt = raw.indexOf('>');
        return (lt >= 0 && gt > lt ? raw.substring(lt + 1, gt) : raw).trim().toLowerCase();
    }

    private static String local(String raw) {
        String a = address(raw);
        int at = a.indexOf('@');
        return at < 0 ? a : a.substring(0, at);
    }

    private static String stripBrackets(String id) {
        return id.replace("<", "").replace(">", "");
    }

    private static boolean authorized(SimConfig c, String header) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                ("api:" + c.mailgunApiKey()).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private static ResponseEntity<Map<String, Object>> bad(String message) {
        return ResponseEntity.badRequest().body(Map.of("message", message));
    }
}
