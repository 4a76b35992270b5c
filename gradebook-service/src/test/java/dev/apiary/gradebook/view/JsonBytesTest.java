package dev.apiary.gradebook.view;

import dev.apiary.gradebook.calc.Decimals;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte writer's numbers are exactly what the reference formatting (Decimals, Long.toString) gives. */
class JsonBytesTest {

    private static String text(JsonBytes b) {
        return new String(b.toByteArray(), StandardCharsets.UTF_8);
    }

    private static JsonBytes bytes() {
        return new JsonBytes(16, s -> {
            throw new AssertionError("no escaping expected");
        });
    }

    @Test
    void numbersAndDecimalsMatchTheReferenceFormatting() {
        long[] edge = {0, 1, -1, 9, 10, 99, 100, 101, 1_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE,
                Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 5, 50, 500, 12_345_000};
        SplittableRandom r = new SplittableRandom(42);
        for (int round = 0; round < 200_000; round++) {
            long v = round < edge.length ? edge[round]
                    : switch (round % 4) {
                        case 0 -> r.nextLong(-1_000, 1_000);
                        case 1 -> r.nextLong(-2_000_000_000L, 2_000_000_000L);
                        case 2 -> r.nextLong() / (1L << r.nextInt(63));
                        default -> r.nextLong(0, 100) * 10_000L;
                    };
            int scale = round < edge.length ? round % 12 : r.nextInt(12);
            assertThat(text(bytes().number(v))).isEqualTo(Long.toString(v));
            assertThat(text(bytes().decimal(v, scale))).as("%d / 10^%d", v, scale).isEqualTo(Decimals.plain(v, scale));
            assertThat(text(bytes().cents(v))).isEqualTo(Decimals.cents(v));
        }
    }

    @Test
    void plainStringsAreUtf8AndOthersGoToTheEscaper() {
        assertThat(text(bytes().string("Zoë Ἀθηνᾶ Иван"))).isEqualTo("\"Zoë Ἀθηνᾶ Иван\"");
        JsonBytes b = new JsonBytes(16, s -> ("<" + s + ">").getBytes(StandardCharsets.UTF_8));
        b.ch('[').string("a/b").ch(',').string("tab\t").ch(',').string("😀").ch(']');
        assertThat(text(b)).isEqualTo("[<a/b>,<tab\t>,<😀>]");
    }
}
