package dev.apiary.common.web;

import java.io.IOException;
import java.util.Map;

import org.springframework.util.AntPathMatcher;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses request bodies over {@code apiary.web.max-body-size} (or a smaller {@code path-limits} entry matching the
 * path) with 413 problem+json: by Content-Length before reading anything, and by counting for chunked bodies (the
 * read fails, the handler never sees a cut body).
 */
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final Map<String, DataSize> pathLimits;
    private final ProblemWriter writer;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public BodySizeLimitFilter(DataSize max, ProblemWriter writer) {
        this(max, Map.of(), writer);
    }

    public BodySizeLimitFilter(DataSize max, Map<String, DataSize> pathLimits, ProblemWriter writer) {
        this.maxBytes = max.toBytes();
        this.pathLimits = Map.copyOf(pathLimits);
        this.writer = writer;
    }

    private long limitFor(HttpServletRequest request) {
        long limit = maxBytes;
        if (pathLimits.isEmpty()) return limit;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (var e : pathLimits.entrySet()) {
            if (matcher.match(e.getKey(), path)) limit = Math.min(limit, e.getValue().toBytes());
        }
        return limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor(request);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            writer.write(response, ApiProblem.payloadTooLarge(tooLarge(limit)));
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            request = new Limited(request, limit);
        }
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            if (causedBy(e, BodyTooLarge.class) && !response.isCommitted()) {
                response.reset();
                writer.write(response, ApiProblem.payloadTooLarge(tooLarge(limit)));
                return;
            }
            throw e;
        }
    }

    private static String tooLarge(long limit) {
        return "The request body is larger than the limit of " + limit + " bytes";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("request body too large");
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream wrapped;

        Limited(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (wrapped == null) wrapped = new Counting(super.getInputStream(), max);
            return wrapped;
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long count;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++count > max) throw new BodyTooLarge();
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0 && (count += n) > max) throw new BodyTooLarge();
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
