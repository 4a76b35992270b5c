package dev.apiary.alert.optout;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.apiary.common.audit.AuditLog;

/** The opt-out lists' audit trail: every addition and removal, with the client and actor behind it. */
@Component
public class OptOutAudit {
    private final AuditLog log;

    public OptOutAudit(StringRedisTemplate redis, OptOutProperties settings) {
        this.log = new AuditLog(redis, "apiary:alert:audit", settings.auditEntries());
    }

    public AuditLog log() {
        return log;
    }

    /** A change made by the current API request (its client and {@code X-Apiary-Actor}). */
    public AuditLog.Entry record(String scope, String action, OptOutChannel c, String address) {
        return log.record(scope, action, c.id() + ":" + address);
    }

    /** A change made by a provider event (no API client: {@code client} names the source). */
    public AuditLog.Entry record(String scope, String client, String actor, String action, OptOutChannel c,
                                 String address, String source) {
        return log.record(scope, client, actor, action, c.id() + ":" + address + " (" + source + ")");
    }
}
