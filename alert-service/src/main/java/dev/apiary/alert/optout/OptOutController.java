package dev.apiary.alert.optout;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Addresses;
import dev.apiary.common.audit.AuditLog;
import dev.apiary.common.tenancy.Tenancy;
import dev.apiary.common.web.ApiProblem;

/**
 * A school's suppression lists (API key): list them, add an address a family asked the office to stop, and remove
 * one (both audited with the client and {@code X-Apiary-Actor}). A client acts only for its schools (403 naming {@code school_id}).
 */
@RestController
@RequestMapping(value = "/api/alerts/v1/opt-outs", produces = MediaType.APPLICATION_JSON_VALUE)
public class OptOutController {
    static final int MAX_LIMIT = 1000;

    /** A page of the lists asked for. */
    public record OptOutList(String schoolId, List<OptOuts.OptOut> items, String nextCursor) {
    }

    /** A page of the audit trail. */
    public record AuditList(String schoolId, List<AuditLog.Entry> entries, String nextCursor) {
    }

    /** An address the school office puts on a list (a parent asked by phone or at the desk). */
    public record OptOutRequest(String schoolId, String channel, String address) {
    }

    static final String OFFICE_SOURCE = "office";

    private final OptOuts optOuts;
    private final OptOutAudit audit;
    private final Addresses addresses;

    public OptOutController(OptOuts optOuts, OptOutAudit audit, AlertProperties props) {
        this.optOuts = optOuts;
        this.audit = audit;
        this.addresses = new Addresses(props.defaultRegion());
    }

    /** {@code channel} is {@code sms} (numbers: no SMS, no calls) or {@code email}. */
    @GetMapping
    public OptOutList list(@RequestParam(name = "school_id", required = false) String schoolId,
                           @RequestParam(required = false) String channel,
                           @RequestParam(required = false) String cursor,
                           @RequestParam(required = false) String limit) {
        String school = school(schoolId);
        OptOutChannel c = channel(channel);
        int n = limit(limit);
        OptOuts.Page page = optOuts.page(school, c, cursor == null || cursor.isBlank() ? null : cursor, n);
        return new OptOutList(school, page.items(), page.nextCursor());
    }

    /** 201 when the address was added, 200 when it was already on the list (then nothing changes). */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<OptOuts.OptOut> add(@RequestBody(required = false) OptOutRequest request) {
        OptOutRequest r = request == null ? new OptOutRequest(null, null, null) : request;
        String school = school(r.schoolId());
        OptOutChannel c = channel(r.channel());
        String normalized = address(c, r.address(), "add");
        boolean added = optOuts.add(school, c, normalized, OFFICE_SOURCE);
        if (added) {
            audit.record(school, "opt_out.added", c, normalized);
        }
        OptOuts.OptOut entry = optOuts.find(school, c, normalized).orElseGet(
                () -> new OptOuts.OptOut(school, c.id(), normalized, OFFICE_SOURCE, Instant.now()));
        return ResponseEntity.status(added ? HttpStatus.CREATED : HttpStatus.OK).body(entry);
    }

    @DeleteMapping
    public ResponseEntity<Void> remove(@RequestParam(name = "school_id", required = false) String schoolId,
                                       @RequestParam(required = false) String channel,
                                       @RequestParam(required = false) String address) {
        String school = school(schoolId);
        OptOutChannel c = channel(channel);
        String normalized = address(c, address, "remove");
        if (!optOuts.remove(school, c, normalized)) {
            throw ApiProblem.notFound("opt-out", c.id() + ":" + normalized);
        }
        audit.record(school, "opt_out.removed", c, normalized);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/audit")
    public AuditList audit(@RequestParam(name = "school_id", required = false) String schoolId,
                           @RequestParam(required = false) String cursor,
                           @RequestParam(required = false) String limit) {
        String school = school(schoolId);
        AuditLog.Page page = audit.log().page(school, cursor, limit == null || limit.isBlank() ? 50 : limit(limit));
        return new AuditList(school, page.entries(), page.nextCursor());
    }

    private String address(OptOutChannel c, String address, String verb) {
        if (address == null || address.isBlank()) {
            throw ApiProblem.badRequest("address", "required: the phone number or email address to " + verb);
        }
        return (c == OptOutChannel.EMAIL ? addresses.email(address) : addresses.phone(address))
                .orElseThrow(() -> ApiProblem.badRequest("address",
                        c == OptOutChannel.EMAIL ? "not an email address" : "not a phone number"));
    }

    private static String school(String schoolId) {
        if (schoolId == null || schoolId.isBlank()) {
            throw ApiProblem.badRequest("school_id", "required: the school whose lists to use");
        }
        String s = schoolId.trim();
        Tenancy.requireSchool(s);
        return s;
    }

    private static OptOutChannel channel(String channel) {
        return OptOutChannel.parse(channel)
                .orElseThrow(() -> ApiProblem.badRequest("channel", "sms or email"));
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 100;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiProblem.badRequest("limit", "an integer from 1 to " + MAX_LIMIT);
    }
}
