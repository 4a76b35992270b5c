package dev.apiary.alert.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.twilio.exception.ApiException;

class TwilioGatewayTest {

    private static ApiException error(int status, int code) {
        return new ApiException("x", code, "", status, status, null, false, null);
    }

    @Test
    void providerErrorsAreClassifiedForTheRetryPolicy() {
        assertThat(TwilioGateway.classify(error(429, 20429))).isInstanceOfSatisfying(SendResult.Retry.class,
                r -> assertThat(r.ambiguous()).isFalse());
        assertThat(TwilioGateway.classify(error(503, 20503))).isInstanceOfSatisfying(SendResult.Retry.class,
                r -> assertThat(r.ambiguous()).isTrue());
        assertThat(TwilioGateway.classify(error(400, 21211))).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo("twilio 21211 invalid_number"));
        assertThat(TwilioGateway.classify(error(400, 21610))).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.optedOut()).isTrue());
        assertThat(TwilioGateway.classify(error(400, 21614))).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.optedOut()).isFalse());
    }
}
