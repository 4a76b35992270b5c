package dev.apiary.pdf.callback;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackPolicyTest {
    final CallbackPolicy policy = new CallbackPolicy(List.of("legacy.example.org", "*.school.example", " "));

    @Test
    void onlyHttpUrlsToAllowedHostsPass() {
        assertThat(policy.check("https://legacy.example.org/hooks/pdf")).isEmpty();
        assertThat(policy.check("http://LEGACY.example.org:8443/x")).isEmpty();
        assertThat(policy.check("https://a.school.example/x")).isEmpty();
        assertThat(policy.check("https://school.example/x")).get().asString().contains("allow-list");
        assertThat(policy.check("https://evil-school.example/x")).get().asString().contains("allow-list");
        assertThat(policy.check("https://legacy.example.org.evil.com/x")).get().asString().contains("allow-list");
        assertThat(policy.check("http://169.254.169.254/latest")).get().asString().contains("allow-list");
        assertThat(policy.check("file:///etc/passwd")).get().asString().contains("http");
        assertThat(policy.check("https://user:pw@legacy.example.org/")).get().asString().contains("user info");
        assertThat(policy.check("not a url")).isPresent();
        assertThat(new CallbackPolicy(List.of()).check("https://legacy.example.org/")).isPresent();
    }

    @Test
    void signatureIsHmacOfTimestampAndBody() {
        CallbackSigner s = new CallbackSigner("secret");
        // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        String sig = s.sign(1700000000L, "{\"a\":1}");
        assertThat(sig).isEqualTo("sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
        assertThat(s.verify(1700000000L, "{\"a\":1}", sig)).isTrue();
        assertThat(s.verify(1700000001L, "{\"a\":1}", sig)).isFalse();
        assertThat(s.verify(1700000000L, "{\"a\":2}", sig)).isFalse();
    }
}
