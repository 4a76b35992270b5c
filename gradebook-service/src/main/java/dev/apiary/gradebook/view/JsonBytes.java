package dev.apiary.gradebook.view;

import dev.apiary.gradebook.calc.Decimals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A growable UTF-8 buffer with the few JSON tokens the section writer needs, written as bytes directly: names are
 * pre-encoded constants, numbers go digit by digit into the buffer. Structure (commas, brackets) is the caller's job.
 * <p>
 * Why not a Jackson generator: for a 40 x 80 section (~50 KB, ~6,000 values) the generator's per-token bookkeeping
 * and char-to-byte copies were a third of the service's CPU per read. Strings that need escaping are handed to
 * {@code escaper} (Jackson), so they come out exactly as Jackson writes them.
 */
final class JsonBytes {

    private byte[] buf;
    private int len;
    private final Function<String, byte[]> escaper;

    JsonBytes(int capacity, Function<String, byte[]> escaper) {
        this(new byte[Math.max(256, capacity)], escaper);
    }

    JsonBytes(byte[] buffer, Function<String, byte[]> escaper) {
        this.buf = buffer;
        this.escaper = escaper;
    }

    /** A name token: {@code "name":} encoded once. */
    static byte[] name(String name) {
        return ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8);
    }

    JsonBytes raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    JsonBytes ch(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    JsonBytes nul() {
        ensure(4);
        buf[len++] = 'n';
        buf[len++] = 'u';
        buf[len++] = 'l';
        buf[len++] = 'l';
        return this;
    }

    JsonBytes bool(boolean b) {
        return raw(b ? TRUE : FALSE);
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    /** A JSON string; plain printable text is copied as UTF-8, anything needing an escape goes through the escaper. */
    JsonBytes string(String s) {
        if (s == null) return nul();
        int n = s.length();
        ensure(n * 3 + 2);
        int start = len;
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c < 0x20 || c == '"' || c == '\\' || c == '/' || c == 0x7f) {
                    len = start;
                    return raw(escaper.apply(s));
                }
                buf[len++] = (byte) c;
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xc0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                len = start;
                return raw(escaper.apply(s));
            } else {
                buf[len++] = (byte) (0xe0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[len++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        buf[len++] = '"';
        return this;
    }

    JsonBytes number(long v) {
        if (v <= -Integer.MAX_VALUE || v > Integer.MAX_VALUE) {
            return raw(Long.toString(v).getBytes(StandardCharsets.US_ASCII));   // rare: ids and scores are ints
        }
        ensure(12);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        positiveInt((int) v);
        return this;
    }

    // ids and scaled scores are almost always ints: int division, two digits per step from a table
    private void positiveInt(int v) {
        int i = len + digits(v);
        len = i;
        writeBackwards(v, i);
    }

    /** The digits of {@code v >= 0} ending just before {@code end}; answers where they start. */
    private int writeBackwards(int v, int end) {
        int i = end;
        while (v >= 100) {
            int r = v % 100;
            v /= 100;
            buf[--i] = ONES[r];
            buf[--i] = TENS[r];
        }
        buf[--i] = ONES[v];
        if (v >= 10) buf[--i] = TENS[v];
        return i;
    }

    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    private static int digits(int v) {
        int d = 1;
        while (d < 10 && v >= POW10[d]) d++;
        return d;
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
            1_000_000_000};

    /** {@code unscaled / 10^scale} in plain notation, trailing fractional zeros dropped (as Decimals.plain). */
    JsonBytes decimal(long unscaled, int scale) {
        if (scale == 0) return number(unscaled);
        if (unscaled > -Integer.MAX_VALUE && unscaled < Integer.MAX_VALUE && scale < POW10.length) {
            return smallDecimal((int) unscaled, scale);
        }
        return raw(Decimals.plain(unscaled, scale).getBytes(StandardCharsets.US_ASCII));   // rare
    }

    /** The common case: |unscaled| and 10^scale fit an int. */
    private JsonBytes smallDecimal(int v, int scale) {
        ensure(24);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        while (scale > 0 && v % 10 == 0) {
            v /= 10;
            scale--;
        }
        int pow = POW10[scale];
        positiveInt(v / pow);
        if (scale == 0) return this;
        buf[len++] = '.';
        int end = len + scale;
        int start = writeBackwards(v % pow, end);
        for (int k = len; k < start; k++) buf[k] = '0';   // leading zeros of the fraction (0.05)
        len = end;
        return this;
    }

    /** Cents with exactly two decimals: 9383 -> 93.83, -13 -> -0.13. */
    JsonBytes cents(long cents) {
        if (cents == Long.MIN_VALUE) {
            return raw(Decimals.cents(cents).getBytes(StandardCharsets.US_ASCII));
        }
        ensure(24);
        if (cents < 0) {
            buf[len++] = '-';
            cents = -cents;
        }
        number(cents / 100);
        buf[len++] = '.';
        buf[len++] = (byte) ('0' + (cents / 10) % 10);
        buf[len++] = (byte) ('0' + cents % 10);
        return this;
    }

    int length() {
        return len;
    }

    void writeTo(java.io.OutputStream out) throws java.io.IOException {
        out.write(buf, 0, len);
    }

    /** The buffer, for reuse by the next writer once this one's bytes are written out. */
    byte[] buffer() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
}
