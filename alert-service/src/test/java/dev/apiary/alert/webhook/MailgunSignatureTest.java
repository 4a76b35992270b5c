package dev.apiary.alert.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailgunSignatureTest {

    @Test
    void readsOnlyTheSignatureFields() {
        MailgunSignature s = MailgunSignature.read("""
                {"event-data": {"event": "delivered", "deep": [[[{"a": 1}]]]},
                 "signature": {"timestamp": "1700000000", "token": "tok", "signature": "abc", "extra": {"x": [1]}}}
                """.getBytes());
        assertThat(s).isEqualTo(new MailgunSignature("1700000000", "tok", "abc"));
        assertThat(MailgunSignature.read("{\"signature\": {\"timestamp\": 1700000000, \"token\": \"t\", \"signature\": \"s\"}}"
                .getBytes())).isEqualTo(new MailgunSignature("1700000000", "t", "s"));
        assertThat(MailgunSignature.read("{\"signature\": {\"token\": \"t\"}}".getBytes())).isNull();
        assertThat(MailgunSignature.read("{\"signature\": ".getBytes())).isNull();
        assertThat(MailgunSignature.read("[]".getBytes())).isNull();
        assertThat(MailgunSignature.read("".getBytes())).isNull();
        assertThat(MailgunSignature.read("{\"signature\": {\"timestamp\": {\"a\": 1}, \"token\": \"t\", \"signature\": \"s\"}}"
                .getBytes())).isNull();
    }
}
