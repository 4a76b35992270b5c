package dev.apiary.alert.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pacing arithmetic: rates, bursts, SMS segments, several senders. */
class GcraTest {

    /** Reservations of one schedule at the given times: the waits. */
    private static List<Long> waits(double costMs, double burstMs, double... nows) {
        double tat = 0;
        List<Long> out = new ArrayList<>();
        for (double now : nows) {
            Gcra.Reservation r = Gcra.reserve(tat, now, costMs, burstMs);
            tat = r.tat();
            out.add(r.waitMs());
        }
        return out;
    }

    @Test
    void usesAtOnceAreSpacedByTheRate() {
        // 10/s: 100 ms apart, the first at once
        assertThat(waits(100, 0, 1000, 1000, 1000, 1000)).containsExactly(0L, 100L, 200L, 300L);
        // arriving while the schedule is ahead: wait for the slot
        assertThat(waits(100, 0, 1000, 1050, 1100)).containsExactly(0L, 50L, 100L);
    }

    @Test
    void anIdleScheduleDoesNotSaveUpUses() {
        // a use long after the last one goes at once; the next is again one cost later
        assertThat(waits(100, 0, 1000, 5000, 5000)).containsExactly(0L, 0L, 100L);
    }

    @Test
    void aBurstLetsUsesRunAheadOfTheScheduleByThatMuch() {
        // burst 300 ms at 100 ms each: 4 go at once, the 5th waits 100 ms, the 6th 200 ms
        assertThat(waits(100, 300, 0, 0, 0, 0, 0, 0).subList(0, 6)).containsExactly(0L, 0L, 0L, 0L, 100L, 200L);
    }

    @Test
    void smsCostsEverySegment() {
        assertThat(Pace.sms("+15005550006", "snow day", 100).costMs()).isEqualTo(10.0);
        String twoSegments = "x".repeat(161); // GSM-7: 153 per part above 160
        assertThat(Pace.sms("+15005550006", twoSegments, 100).costMs()).isEqualTo(20.0);
        String ucs2 = "é".repeat(10) + "漢"; // not GSM-7: one UCS-2 segment up to 70
        assertThat(Pace.sms("MG1", ucs2, 100).costMs()).isEqualTo(10.0);
        assertThat(Pace.sms("MG1", "漢".repeat(71), 100).costMs()).isEqualTo(20.0);
        // a two-segment message takes the slots of two one-segment messages
        double cost = Pace.sms("+1", twoSegments, 100).costMs();
        assertThat(waits(cost, 0, 0, 0, 0)).containsExactly(0L, 20L, 40L);
    }

    @Test
    void eachSenderHasItsOwnSchedule() {
        Map<String, Double> tats = new HashMap<>();
        List<String> order = List.of("sms:A", "sms:B", "sms:A", "sms:B", "sms:A");
        List<Long> waits = new ArrayList<>();
        for (String key : order) {
            Gcra.Reservation r = Gcra.reserve(tats.getOrDefault(key, 0.0), 0, 10, 0);
            tats.put(key, r.tat());
            waits.add(r.waitMs());
        }
        assertThat(waits).containsExactly(0L, 0L, 10L, 10L, 20L);
        assertThat(Pace.sms("A", "x", 100).key()).isNotEqualTo(Pace.sms("B", "x", 100).key());
        assertThat(Pace.call("AC1", 10)).isEqualTo(new Pace("voice:AC1", 100.0));
        assertThat(Pace.mailgun("mg.example.org", 0).costMs()).isZero();
    }
}
