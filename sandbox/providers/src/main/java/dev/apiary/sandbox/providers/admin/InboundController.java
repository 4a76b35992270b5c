package dev.apiary.sandbox.providers.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.sandbox.providers.mailgun.MailgunController;
import dev.apiary.sandbox.providers.sim.Callbacks;
import dev.apiary.sandbox.providers.sim.SimConfig;
import dev.apiary.sandbox.providers.sim.SimSettings;
import dev.apiary.sandbox.providers.twilio.StopList;

/**
 * What recipients do (not part of any provider's API): reply to a text, unsubscribe or complain about an email.
 * Each is posted at once, signed like the provider's own webhooks, and the receiver's answer is passed back.
 */
@RestController
@RequestMapping(value = "/_admin/inbound", produces = "application/json")
public class InboundController {
    private final SimSettings settings;
    private final Callbacks callbacks;
    private final StopList stops;
    private final MailgunController mailgun;

    public InboundController(SimSettings settings, Callbacks callbacks, StopList stops, MailgunController mailgun) {
        this.settings = settings;
        this.callbacks = callbacks;
        this.stops = stops;
        this.mailgun = mailgun;
    }

    /** An SMS from a recipient, JSON: from, to, body, messaging_service_sid (optional), url (default inbound_sms_url). */
    @PostMapping("/sms")
    public ResponseEntity<Map<String, Object>> sms(@RequestBody Map<String, String> in) {
        SimConfig c = settings.get();
        String from = in.get("from");
        String to = in.get("to");
        String body = in.getOrDefault("body", "");
        String url = in.getOrDefault("url", c.inboundSmsUrl());
        if (from == null || to == null || url == null || url.isBlank()) {
            return ResponseEntity.badRequest().body(Map.of("error", "from, to and url (or inbound_sms_url) are required"));
        }
        String service = in.get("messaging_service_sid");
        // Twilio applies its own STOP filtering first, then passes the message on
        stops.inbound(to, from, body);
        if (service != null && !service.isBlank()) {
            stops.inbound(service, from, body);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM" + java.util.UUID.randomUUID().toString().replace("-", ""));
        params.put("AccountSid", c.accountSid());
        params.put("From", from);
        params.put("To", to);
        params.put("Body", body);
        params.put("NumMedia", "0");
        if (service != null && !service.isBlank()) {
            params.put("MessagingServiceSid", service);
        }
        return answer(callbacks.postTwilioNow(url, c.authToken(), params));
    }

    /** A Mailgun recipient event, JSON: event (unsubscribed | complained), recipient, url (default mailgun_webhook_url). */
    @PostMapping("/mailgun")
    public ResponseEntity<Map<String, Object>> mailgun(@RequestBody Map<String, String> in) {
        SimConfig c = settings.get();
        String event = in.getOrDefault("event", "");
        if (!event.equals("unsubscribed") && !event.equals("complained")) {
            return ResponseEntity.badRequest().body(Map.of("error", "event must be unsubscribed or complained"));
        }
        String url = in.getOrDefault("url", c.mailgunWebhookUrl());
        if (url == null || url.isBlank() || in.get("recipient") == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "recipient and url (or mailgun_webhook_url) are required"));
        }
        Map<String, Object> data = mailgun.recipientEvent(event, in.get("recipient"));
        if (data == null) {
            return ResponseEntity.status(404).body(Map.of("error", "nothing was sent to that recipient"));
        }
        return answer(callbacks.postJsonNow(url, mailgun.signedBody(c, data)));
    }

    private static ResponseEntity<Map<String, Object>> answer(Callbacks.Answer a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", a.status());
        m.put("content_type", a.contentType());
        m.put("body", a.body());
        return ResponseEntity.ok(m);
    }
}
