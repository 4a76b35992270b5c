package dev.apiary.common.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StateModelTest {

    static final StateModel REPORT = StateModel.of(List.of("queued", "rendering", "done", "failed", "canceled"),
            Set.of("done", "failed", "canceled"));
    static final StateModel ALERT = StateModel.first("sending").thenFinal("done", "canceled").build();
    static final StateModel DELIVERY = StateModel.first("queued").then("sending").then("sent")
            .thenFinal("delivered", "undelivered", "failed", "canceled", "opted_out", "completed", "busy", "no_answer")
            .build();

    @Test
    void movesOnlyForwardAndNeverOutOfAFinalState() {
        assertThat(REPORT.initial()).isEqualTo("queued");
        assertThat(REPORT.canMove("queued", "rendering")).isTrue();
        assertThat(REPORT.canMove("queued", "done")).isTrue();
        assertThat(REPORT.canMove("rendering", "queued")).isFalse();
        assertThat(REPORT.canMove("rendering", "rendering")).isFalse();
        assertThat(REPORT.canMove("done", "failed")).isFalse();
        assertThat(REPORT.canMove("failed", "canceled")).isFalse();
        assertThat(REPORT.canMove(null, "queued")).isFalse();
        assertThat(REPORT.canMove("queued", "unknown")).isFalse();
        assertThat(REPORT.encoded()).isEqualTo("queued,rendering,done,failed,canceled");
    }

    @Test
    void severalFinalsShareARank() {
        assertThat(ALERT.canMove("sending", "done")).isTrue();
        assertThat(ALERT.canMove("sending", "canceled")).isTrue();
        assertThat(ALERT.canMove("canceled", "done")).isFalse();
        assertThat(DELIVERY.rank("delivered")).isEqualTo(DELIVERY.rank("no_answer")).isEqualTo(3);
        assertThat(DELIVERY.rank("sent")).isEqualTo(2);
        assertThat(DELIVERY.rank(null)).isEqualTo(-1);
        assertThat(DELIVERY.canMove("queued", "opted_out")).isTrue();
        assertThat(DELIVERY.canMove("sent", "sending")).isFalse();
        assertThat(DELIVERY.canMove("delivered", "failed")).isFalse();
        assertThat(DELIVERY.encoded()).isEqualTo("queued,sending,sent,delivered|undelivered|failed|canceled|opted_out|completed|busy|no_answer");
    }

    @Test
    void aChannelsModelKeepsOnlyItsStatesAndTheirRanks() {
        StateModel voice = DELIVERY.only(List.of("queued", "sending", "sent", "completed", "busy", "no_answer", "failed"));
        assertThat(voice.knows("delivered")).isFalse();
        assertThat(voice.canMove("sent", "delivered")).isFalse();
        assertThat(voice.canMove("sent", "busy")).isTrue();
        assertThat(voice.finals()).containsExactlyInAnyOrder("completed", "busy", "no_answer", "failed");
        StateModel email = DELIVERY.only(List.of("queued", "sent", "delivered", "failed"));
        assertThat(email.rank("sent")).isLessThan(email.rank("delivered"));
        assertThat(email.canMove("queued", "sent")).isTrue();
        assertThatThrownBy(() -> DELIVERY.only(List.of("queued", "bogus"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badModelsAreRefused() {
        assertThatThrownBy(() -> StateModel.of(List.of("a", "b"), Set.of("c"))).hasMessageContaining("final");
        assertThatThrownBy(() -> StateModel.of(List.of("a", "a"), Set.of())).hasMessageContaining("twice");
        assertThatThrownBy(() -> StateModel.of(List.of("a,b"), Set.of())).hasMessageContaining("plain");
        assertThatThrownBy(() -> new StateModel(List.of(List.of()), Set.of())).hasMessageContaining("step");
    }
}
