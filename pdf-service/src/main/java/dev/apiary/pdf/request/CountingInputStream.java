package dev.apiary.pdf.request;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Counts (and digests) bytes read; over {@code limit} it fails with a 413-kind {@link InvalidInputException}. */
public final class CountingInputStream extends FilterInputStream {
    private final long limit;
    private final MessageDigest digest;
    private long count;

    public CountingInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
            digest.update(b, off, n);
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw new InvalidInputException(null, "request body is larger than " + limit + " bytes", true);
        }
    }

    public long count() {
        return count;
    }

    /** Hex SHA-256 of everything read so far. */
    public String sha256() {
        return java.util.HexFormat.of().formatHex(digest.digest());
    }
}
