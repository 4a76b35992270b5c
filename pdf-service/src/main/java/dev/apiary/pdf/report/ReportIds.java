package dev.apiary.pdf.report;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Report ids: 11 hex digits of the submission time in ms, then 12 random hex digits. The time prefix lets the
 * service answer 410 Gone for an id whose retention has passed even after its status has expired.
 */
public final class ReportIds {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{23}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReportIds() {
    }

    public static String next() {
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        return String.format("%011x", System.currentTimeMillis()) + HexFormat.of().formatHex(r);
    }

    public static boolean valid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    public static Instant createdAt(String id) {
        return Instant.ofEpochMilli(Long.parseLong(id.substring(0, 11), 16));
    }
}
