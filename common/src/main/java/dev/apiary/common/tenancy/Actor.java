package dev.apiary.common.tenancy;

import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The legacy user behind a write: {@code X-Apiary-Actor}, an opaque id (the legacy user's id, never a name),
 * checked and kept for the request by {@link ActorFilter}.
 */
public final class Actor {

    public static final String HEADER = "X-Apiary-Actor";
    static final String ATTRIBUTE = Actor.class.getName();
    static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private Actor() {
    }

    /** The current request's actor, if it named one. */
    public static Optional<String> current() {
        RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
        if (attrs == null) return Optional.empty();
        return Optional.ofNullable((String) attrs.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }
}
