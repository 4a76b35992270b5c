package dev.apiary.pdf.config;

import dev.apiary.pdf.render.GradingScale;
import dev.apiary.pdf.render.Labels;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of pdf-service ({@code apiary.pdf.*}); every one has a default for the local suite.
 *
 * @param dataDir         where job directories and finished PDFs live; all instances must see the same directory
 *                        (one host, or a shared volume); nginx serves files from here (X-Accel-Redirect)
 * @param maxStudents     most students in one request (more: 413 naming {@code students})
 * @param maxBodySize     largest request body (more: 413)
 * @param maxLogoSize     largest decoded school logo
 * @param chunkSize       students per part; parts render in parallel on any instance and are merged in order
 * @param chunksInFlight  parts of one job queued at a time (the rest are queued as these finish), so jobs
 *                        interleave in the queue; 0 = this instance's worker count
 * @param workers         parts rendered at once by this instance; 0 = number of CPUs
 * @param fontDir         directory searched (4 levels deep) for the font files named in {@code fonts}; Debian's
 *                        fonts-noto-core and fonts-noto-cjk install them under /usr/share/fonts; empty = Liberation
 *                        Sans from openpdf-fonts-extra only (no other scripts)
 * @param retention       how long finished files and job status are kept, counted from submission
 * @param lease           a part whose instance stops heart-beating for this long is taken over by another instance
 * @param maxAttempts     attempts per part before the job fails (also instance deaths while rendering one part)
 * @param maxWarnings     missing-glyph warnings kept per part
 * @param warmup          render a small sample at startup so the JIT has compiled the hot paths before real jobs
 * @param idempotencyPending how long an {@code Idempotency-Key} is reserved before its report exists (at most 2
 *                        minutes: after a crash in between, a retry waits at most this long, then creates the report)
 * @param dispatchSweepInterval how often the dispatch sweeper looks for reports whose parts were never all queued
 * @param dispatchGrace   a report is re-dispatched once its first dispatch has been unconfirmed this long
 * @param schoolDefaults  per school ({@code default}: all others) locale, grading scale and term names for requests
 *                        that leave them out
 * @param orphanGrace     a job directory without a report (a crash mid-upload or before the report was created) is
 *                        deleted after this long
 *
 * <p>Checked by hand in the constructor rather than with Bean Validation: Hibernate Validator is left out of this
 * service (its ~630 classes cost metaspace and heap for these few checks; see bench/pdf/RESULTS-pdf.md). A bad
 * value fails the binding at startup naming the property.
 */
@ConfigurationProperties("apiary.pdf")
public record PdfProperties(
        @DefaultValue("./data/pdf") String dataDir,
        @DefaultValue("20000") int maxStudents,
        @DefaultValue("256MB") DataSize maxBodySize,
        @DefaultValue("1MB") DataSize maxLogoSize,
        @DefaultValue("250") int chunkSize,
        @DefaultValue("0") int chunksInFlight,
        @DefaultValue("0") int workers,
        @DefaultValue("/usr/share/fonts") String fontDir,
        @DefaultValue Fonts fonts,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("30s") Duration lease,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("100") int maxWarnings,
        @DefaultValue("true") boolean warmup,
        @DefaultValue("1m") Duration idempotencyPending,
        @DefaultValue("30s") Duration dispatchSweepInterval,
        @DefaultValue("30s") Duration dispatchGrace,
        @DefaultValue("1h") Duration orphanGrace,
        @DefaultValue Callback callback,
        @DefaultValue Map<String, SchoolDefault> schoolDefaults) {

    public PdfProperties {
        require(dataDir != null, "data-dir", "must be set");
        require(maxStudents >= 1, "max-students", "must be at least 1");
        require(maxBodySize != null && maxBodySize.toBytes() > 0, "max-body-size", "must be positive");
        require(maxLogoSize != null && maxLogoSize.toBytes() > 0, "max-logo-size", "must be positive");
        require(chunkSize >= 1 && chunkSize <= 100_000, "chunk-size", "must be between 1 and 100000");
        require(chunksInFlight >= 0, "chunks-in-flight", "must not be negative");
        require(workers >= 0, "workers", "must not be negative");
        require(fonts != null, "fonts", "must be set");
        require(retention != null && retention.isPositive(), "retention", "must be positive");
        require(lease != null && lease.isPositive(), "lease", "must be positive");
        require(maxAttempts >= 1, "max-attempts", "must be at least 1");
        require(maxWarnings >= 0, "max-warnings", "must not be negative");
        require(idempotencyPending != null && idempotencyPending.isPositive()
                && idempotencyPending.compareTo(Duration.ofMinutes(2)) <= 0, "idempotency-pending",
                "must be positive and at most 2m");
        require(dispatchSweepInterval != null && dispatchSweepInterval.isPositive(), "dispatch-sweep-interval",
                "must be positive");
        require(dispatchGrace != null && dispatchGrace.isPositive(), "dispatch-grace", "must be positive");
        require(orphanGrace != null && orphanGrace.isPositive(), "orphan-grace", "must be positive");
        require(callback != null, "callback", "must be set");
        schoolDefaults = schoolDefaults == null ? Map.of() : Map.copyOf(schoolDefaults);
        schoolDefaults.forEach((school, d) -> {
            require(d.locale() == null || Labels.supported(d.locale()), "school-defaults." + school + ".locale",
                    "must be one of " + Labels.SUPPORTED);
            try {
                GradingScale.parse(d.gradingScale());
            } catch (IllegalArgumentException e) {
                require(false, "school-defaults." + school + ".grading-scale", e.getMessage());
            }
            require(d.termNames() == null || d.termNames().size() <= 4, "school-defaults." + school + ".term-names",
                    "at most 4 names");
        });
    }

    static void require(boolean ok, String property, String message) {
        if (!ok) {
            throw new IllegalArgumentException("apiary.pdf." + property + " " + message);
        }
    }

    /**
     * What a school's requests get when they leave it out; the key is the {@code school_id}, {@code default} applies
     * to every school without its own entry.
     *
     * @param locale       labels, dates and numbers (one of en, es, fr, vi, zh, hi, ar)
     * @param gradingScale {@code grade:min[:points],...} highest first, e.g. {@code A:93:4.0,...,F:0:0}; empty: no
     *                     scale is printed and no GPA computed
     * @param termNames    the term-mark column heads (at most 4); empty: the locale's (T1-T4)
     */
    public record SchoolDefault(String locale, String gradingScale, List<String> termNames) {
    }

    /**
     * Font file names found under {@code font-dir}: the primary family and the fallback chain (tried in order for
     * characters the primary faces lack; a {@code -Bold} sibling of a fallback file is its bold face).
     */
    public record Fonts(@DefaultValue("NotoSans-Regular.ttf") String regular,
                        @DefaultValue("NotoSans-Bold.ttf") String bold,
                        @DefaultValue("NotoSans-Italic.ttf") String italic,
                        @DefaultValue("NotoSans-BoldItalic.ttf") String boldItalic,
                        @DefaultValue({"NotoSansHebrew-Regular.ttf", "NotoSansArabic-Regular.ttf",
                                "NotoSansDevanagari-Regular.ttf", "NotoSansBengali-Regular.ttf",
                                "NotoSansTamil-Regular.ttf", "NotoSansThai-Regular.ttf", "NotoSansMath-Regular.ttf",
                                "NotoSansCJK-Regular.ttc",
                                "NotoSansSymbols-Regular.ttf", "NotoSansSymbols2-Regular.ttf"})
                        List<String> fallback) {
    }

    /**
     * @param allowedHosts     hosts a {@code callback_url} may point to (exact, or {@code *.example.org});
     *                         empty = callbacks refused
     * @param allowedAddresses IP addresses a callback host may resolve to although they are loopback, private,
     *                         link-local or otherwise not public (exact IPs, no ranges)
     * @param allowedPorts     ports a {@code callback_url} may use besides 80 and 443
     * @param secret           HMAC-SHA256 key for {@code X-Apiary-Signature}
     * @param maxAttempts      delivery attempts (exponential backoff from {@code backoff} to {@code maxBackoff})
     */
    public record Callback(@DefaultValue List<String> allowedHosts,
                           @DefaultValue List<String> allowedAddresses,
                           @DefaultValue List<Integer> allowedPorts,
                           String secret,
                           @DefaultValue("8") int maxAttempts,
                           @DefaultValue("2s") Duration backoff,
                           @DefaultValue("5m") Duration maxBackoff,
                           @DefaultValue("10s") Duration timeout) {
        public Callback {
            PdfProperties.require(maxAttempts >= 1, "callback.max-attempts", "must be at least 1");
            PdfProperties.require(backoff != null && maxBackoff != null && timeout != null, "callback", "durations must be set");
            for (String a : allowedAddresses) {
                PdfProperties.require(ipLiteral(a) != null, "callback.allowed-addresses",
                        "must list IP addresses, not host names or ranges: '" + a + "'");
            }
            for (Integer p : allowedPorts) {
                PdfProperties.require(p != null && p >= 1 && p <= 65535, "callback.allowed-ports",
                        "must list ports 1-65535");
            }
        }

        /** The allowed addresses, parsed (never a DNS lookup). */
        public List<InetAddress> allowedIps() {
            return allowedAddresses.stream().map(Callback::ipLiteral).toList();
        }

        private static InetAddress ipLiteral(String s) {
            try {
                return InetAddress.ofLiteral(s.trim());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    public Path dataPath() {
        return Path.of(dataDir).toAbsolutePath().normalize();
    }

    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }

    public int effectiveChunksInFlight() {
        return chunksInFlight > 0 ? chunksInFlight : Math.max(2, effectiveWorkers());
    }
}
