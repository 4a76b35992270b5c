package dev.apiary.common.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.apiary.common.admin.DeadLetterAnswers.Detail;
import dev.apiary.common.admin.DeadLetterAnswers.Page;
import dev.apiary.common.admin.DeadLetterAnswers.Purged;
import dev.apiary.common.admin.DeadLetterAnswers.Retried;
import dev.apiary.common.admin.DeadLetterAnswers.Summary;
import dev.apiary.common.queue.DeadLetter;
import dev.apiary.common.queue.DeadLetters;
import dev.apiary.common.security.Caller;
import dev.apiary.common.web.ApiProblem;

/**
 * The dead letters of this service's queues, under {@code apiary.admin.base-path}: list (newest first, paginated),
 * inspect, retry once, purge. Needs scope {@code admin}; a client bound to some schools sees only entries naming one
 * of them, and another entry answers 404 as an unknown id does.
 */
@RestController
@RequestMapping(path = "${apiary.admin.base-path}/dead-letters", produces = "application/json")
public class DeadLetterController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);
    private static final int MAX_LIMIT = 500;

    private final DeadLetters deadLetters;

    public DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    public Page list(@RequestParam(required = false) String stream, @RequestParam(required = false) String cursor,
                     @RequestParam(required = false) String limit) {
        Caller caller = AdminAccess.requireAdmin();
        int n = limit(limit);
        if (cursor != null && !DeadLetters.isWellFormed(cursor)) {
            throw ApiProblem.badRequest("cursor", "not a cursor from an earlier page");
        }
        DeadLetters.Page page = deadLetters.page(knownStream(stream), cursor, n,
                d -> AdminAccess.maySee(caller, d.schoolId()));
        return new Page(page.items().stream().map(Summary::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    public Detail get(@PathVariable String id) {
        Caller caller = AdminAccess.requireAdmin();
        return Detail.of(visible(caller, id));
    }

    @PostMapping("/{id}/retry")
    public Retried retry(@PathVariable String id) {
        Caller caller = AdminAccess.requireAdmin();
        // checked before anything moves; once it has, the retried marker names the school
        if (deadLetters.find(id).filter(d -> !AdminAccess.maySee(caller, d.schoolId())).isPresent()) {
            throw ApiProblem.notFound("dead letter", id);
        }
        DeadLetters.Retry r = deadLetters.retry(id);
        if (!(r instanceof DeadLetters.Requeued q) || !AdminAccess.maySee(caller, q.schoolId())) {
            throw ApiProblem.notFound("dead letter", id);
        }
        if (!q.earlier()) log.info("dead letter {} put back into {} as {} by client {}", id, q.stream(), q.newEntryId(), caller.name());
        return new Retried(id, q.stream(), q.newEntryId(), q.earlier());
    }

    @DeleteMapping
    public Purged purge(@RequestParam(required = false) String stream) {
        Caller caller = AdminAccess.requireAdmin();
        long n = deadLetters.purge(knownStream(stream), AdminAccess.allSchools(caller),
                d -> AdminAccess.maySee(caller, d.schoolId()));
        log.info("{} dead letter(s) of {} purged by client {}", n, stream == null ? "every queue" : stream, caller.name());
        return new Purged(n);
    }

    private DeadLetter visible(Caller caller, String id) {
        DeadLetter d = deadLetters.find(id).orElseThrow(() -> ApiProblem.notFound("dead letter", id));
        if (!AdminAccess.maySee(caller, d.schoolId())) throw ApiProblem.notFound("dead letter", id);
        return d;
    }

    private String knownStream(String stream) {
        if (stream == null || stream.isBlank()) return null;
        if (!deadLetters.streams().contains(stream)) {
            throw ApiProblem.badRequest("stream", "not a queue of this service; one of " + deadLetters.streams());
        }
        return stream;
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) return 50;
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiProblem.badRequest("limit", "an integer from 1 to " + MAX_LIMIT);
    }
}
