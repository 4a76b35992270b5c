package dev.apiary.pdf.request;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.util.JsonParserDelegate;

import java.util.Map;

/**
 * A parser that refuses an array the moment it grows past its limit, while the tokens stream in, so a hostile
 * list is never bound into memory. Limits are keyed by the array's path with indexes left out, e.g.
 * {@code students[].courses[].marks}; the refusal names the concrete field, e.g. {@code students[3].courses[0].marks}.
 * Every way of advancing the parser that data binding uses goes through {@link #nextToken()} or {@link #nextValue()}
 * ({@code nextStringValue()} and friends are built on {@code nextToken()}); property names never add array entries.
 */
final class ArrayLimits extends JsonParserDelegate {

    /** At most {@code max} entries, described as {@code what} ("term marks"). */
    record Limit(int max, String what) {
    }

    private final Map<String, Limit> limits;
    private final int smallest;

    ArrayLimits(JsonParser parser, Map<String, Limit> limits) {
        super(parser);
        this.limits = Map.copyOf(limits);
        this.smallest = limits.values().stream().mapToInt(Limit::max).min().orElse(Integer.MAX_VALUE);
    }

    @Override
    public JsonToken nextToken() throws JacksonException {
        JsonToken t = super.nextToken();
        check(t);
        return t;
    }

    @Override
    public JsonToken nextValue() throws JacksonException {
        JsonToken t = super.nextValue();
        check(t);
        return t;
    }

    private void check(JsonToken t) {
        if (t == null || t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT || t == JsonToken.PROPERTY_NAME) {
            return;
        }
        TokenStreamContext ctx = streamReadContext();
        if (t.isStructStart()) {
            ctx = ctx.getParent();   // a new object or array is an entry of the context around it
        }
        if (ctx == null || !ctx.inArray() || ctx.getCurrentIndex() < smallest) {
            return;
        }
        Limit limit = limits.get(path(ctx.getParent(), false));
        if (limit != null && ctx.getCurrentIndex() >= limit.max()) {
            throw new InvalidInputException(path(ctx.getParent(), true), "at most " + limit.max() + " " + limit.what());
        }
    }

    /**
     * The JSON path of the entry {@code ctx} is at: in an object its current property, in an array its current
     * index ({@code []} without indexes). {@code school.logo}, {@code students[3].courses[0].marks}.
     */
    static String path(TokenStreamContext ctx, boolean indexes) {
        StringBuilder sb = new StringBuilder();
        for (TokenStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                sb.insert(0, indexes ? "[" + Math.max(0, c.getCurrentIndex()) + "]" : "[]");
            } else if (c.currentName() != null) {
                sb.insert(0, "." + c.currentName());
            }
        }
        return sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
    }
}
