package dev.apiary.gradebook.calc;

/** Formats scaled longs as JSON decimal literals without going through BigDecimal. */
public final class Decimals {

    private Decimals() {}

    /** {@code unscaled / 10^scale} in plain notation, trailing fractional zeros dropped: 9.50 -> "9.5", 10.0 -> "10". */
    public static String plain(long unscaled, int scale) {
        if (scale == 0) return Long.toString(unscaled);
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        if (scale == 0) return Long.toString(unscaled);
        boolean neg = unscaled < 0;
        String digits = neg ? Long.toString(unscaled).substring(1) : Long.toString(unscaled);
        StringBuilder b = new StringBuilder(digits.length() + 3);
        if (neg) b.append('-');
        if (digits.length() <= scale) {
            b.append("0.");
            for (int i = digits.length(); i < scale; i++) b.append('0');
            b.append(digits);
        } else {
            b.append(digits, 0, digits.length() - scale).append('.').append(digits, digits.length() - scale, digits.length());
        }
        return b.toString();
    }

    /** Cents with exactly two decimals: 9383 -> "93.83", -13 -> "-0.13". */
    public static String cents(long cents) {
        long a = Math.abs(cents);
        String r = (a / 100) + "." + (a % 100 < 10 ? "0" : "") + (a % 100);
        return cents < 0 ? "-" + r : r;
    }

    /**
     * {@link #plain} written into {@code buf} (at least 22 chars) from index 0; answers the length. For writers that
     * take characters, so a number costs no String.
     */
    public static int plainChars(long unscaled, int scale, char[] buf) {
        while (scale > 0 && unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
        }
        if (unscaled == Long.MIN_VALUE) {   // cannot be negated: rare enough to take the slow path
            String p = plain(unscaled, scale);
            p.getChars(0, p.length(), buf, 0);
            return p.length();
        }
        boolean neg = unscaled < 0;
        long v = neg ? -unscaled : unscaled;
        // digits backwards into the end of buf, then move them
        int end = buf.length, i = end, digits = 0;
        do {
            buf[--i] = (char) ('0' + (v % 10));
            v /= 10;
            digits++;
            if (digits == scale) buf[--i] = '.';
        } while (v != 0);
        while (digits < scale) {            // 0.0x: zeros up to the point, then "0."
            buf[--i] = '0';
            digits++;
            if (digits == scale) buf[--i] = '.';
        }
        if (buf[i] == '.') buf[--i] = '0';
        if (neg) buf[--i] = '-';
        int len = end - i;
        System.arraycopy(buf, i, buf, 0, len);
        return len;
    }

    /** {@link #cents} written into {@code buf} (at least 22 chars) from index 0; answers the length. */
    public static int centsChars(long cents, char[] buf) {
        if (cents == Long.MIN_VALUE) {
            String p = cents(cents);
            p.getChars(0, p.length(), buf, 0);
            return p.length();
        }
        long a = Math.abs(cents);
        int end = buf.length, i = end;
        buf[--i] = (char) ('0' + a % 10);
        buf[--i] = (char) ('0' + (a / 10) % 10);
        buf[--i] = '.';
        long whole = a / 100;
        do {
            buf[--i] = (char) ('0' + whole % 10);
            whole /= 10;
        } while (whole != 0);
        if (cents < 0) buf[--i] = '-';
        int len = end - i;
        System.arraycopy(buf, i, buf, 0, len);
        return len;
    }
}
