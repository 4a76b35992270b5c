package dev.apiary.sandbox.providers.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.sandbox.providers.mailgun.MailgunController;
import dev.apiary.sandbox.providers.sim.Gate;
import dev.apiary.sandbox.providers.sim.GroundTruth;
import dev.apiary.sandbox.providers.sim.SimSettings;
import dev.apiary.sandbox.providers.twilio.TwilioController;

/** Run control: settings, reset, ground truth and counters. Not part of any real provider's API. */
@RestController
@RequestMapping(value = "/_admin", produces = "application/json")
public class AdminController {
    private final SimSettings settings;
    private final GroundTruth truth;
    private final Gate gate;
    private final TwilioController twilio;
    private final MailgunController mailgun;

    public AdminController(SimSettings settings, GroundTruth truth, Gate gate, TwilioController twilio,
                           MailgunController mailgun) {
        this.settings = settings;
        this.truth = truth;
        this.gate = gate;
        this.twilio = twilio;
        this.mailgun = mailgun;
    }

    @GetMapping("/config")
    public Map<String, Object> config() {
        return settings.get().toMap();
    }

    @PostMapping("/config")
    public ResponseEntity<Map<String, Object>> update(@RequestBody Map<String, Object> changes) {
        try {
            return ResponseEntity.ok(settings.merge(changes).toMap());
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
    }

    /** Forget all recorded sends, events and rate state; settings return to their defaults if asked. */
    @PostMapping("/reset")
    public Map<String, Object> reset(@RequestParam(defaultValue = "false") boolean settings) {
        truth.clear();
        gate.reset();
        twilio.clear();
        mailgun.clear();
        if (settings) {
            this.settings.reset();
        }
        return Map.of("reset", true);
    }

    @GetMapping("/truth")
    public Map<String, Object> truth(@RequestParam(required = false) String channel,
                                     @RequestParam(required = false) String to) {
        return truth.view(channel, to);
    }

    @GetMapping("/stats")
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>(truth.stats());
        m.put("in_flight", gate.inFlight());
        m.put("max_in_flight", gate.maxInFlight());
        return m;
    }
}
