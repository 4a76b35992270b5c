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
}
