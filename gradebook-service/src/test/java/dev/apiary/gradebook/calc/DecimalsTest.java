package dev.apiary.gradebook.calc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DecimalsTest {
    @Test
    void plainMatchesBigDecimal() {
        assertThat(Decimals.plain(950, 2)).isEqualTo("9.5");
        assertThat(Decimals.plain(1000, 2)).isEqualTo("10");
        assertThat(Decimals.plain(-5, 3)).isEqualTo("-0.005");
        assertThat(Decimals.plain(0, 4)).isEqualTo("0");
        Random r = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            long v = r.nextLong() % 10_000_000_000L;
            int scale = r.nextInt(8);
            BigDecimal expected = BigDecimal.valueOf(v, scale).stripTrailingZeros();
            assertThat(new BigDecimal(Decimals.plain(v, scale))).isEqualByComparingTo(expected);
            assertThat(Decimals.plain(v, scale)).isEqualTo(expected.scale() < 0 ? expected.setScale(0).toPlainString() : expected.toPlainString());
        }
    }

    @Test
    void centsHaveTwoDecimals() {
        assertThat(Decimals.cents(9383)).isEqualTo("93.83");
        assertThat(Decimals.cents(10000)).isEqualTo("100.00");
        assertThat(Decimals.cents(5)).isEqualTo("0.05");
        assertThat(Decimals.cents(-13)).isEqualTo("-0.13");
    }

    @Test
    void charVersionsWriteWhatTheStringVersionsDo() {
        char[] buf = new char[24];
        long[] edge = {0, 1, -1, 5, -5, 10, 100, 999, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE};
        Random r = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            long v = i < edge.length * 8 ? edge[i % edge.length] : (i % 3 == 0 ? r.nextLong() : r.nextLong() % 100_000);
            int scale = i < edge.length * 8 ? i / edge.length : r.nextInt(9);
            assertThat(new String(buf, 0, Decimals.plainChars(v, scale, buf))).as("%d scale %d", v, scale)
                    .isEqualTo(Decimals.plain(v, scale));
            if (v != Long.MIN_VALUE) {
                assertThat(new String(buf, 0, Decimals.centsChars(v, buf))).as("%d cents", v).isEqualTo(Decimals.cents(v));
            }
        }
    }
}
