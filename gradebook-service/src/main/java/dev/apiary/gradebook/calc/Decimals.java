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
}
