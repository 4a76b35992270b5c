package dev.apiary.pdf.callback;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackPolicyTest {
    final CallbackPolicy policy = new CallbackPolicy(List.of("legacy.example.org", "*.school.example", " "),
            List.of(InetAddress.ofLiteral("10.1.2.3")), Set.of(8443));

    static String refusal(CallbackPolicy p, String url) {
        return p.checkUrl(url).refusal();
    }

    @Test
    void onlyHttpUrlsToAllowedHostsAndPortsPass() {
        assertThat(policy.checkUrl("https://legacy.example.org/hooks/pdf").isOk()).isTrue();
        assertThat(policy.checkUrl("http://LEGACY.example.org/x").value().host()).isEqualTo("legacy.example.org");
        assertThat(policy.checkUrl("http://legacy.example.org:443/x").value().port()).isEqualTo(443);
        assertThat(policy.checkUrl("https://legacy.example.org:8443/x").isOk()).as("allow-listed port").isTrue();
        assertThat(policy.checkUrl("https://a.school.example/x").isOk()).isTrue();
        assertThat(refusal(policy, "http://legacy.example.org:8080/x")).contains("port 8080");
        assertThat(refusal(policy, "https://legacy.example.org:22/x")).contains("port 22");
        assertThat(refusal(policy, "https://school.example/x")).contains("allow-list");
        assertThat(refusal(policy, "https://evil-school.example/x")).contains("allow-list");
        assertThat(refusal(policy, "https://legacy.example.org.evil.com/x")).contains("allow-list");
        assertThat(refusal(policy, "http://169.254.169.254/latest")).contains("allow-list");
        assertThat(refusal(policy, "file:///etc/passwd")).contains("http");
        assertThat(refusal(policy, "https://user:pw@legacy.example.org/")).contains("user info");
        assertThat(refusal(policy, "not a url")).isNotNull();
        assertThat(new CallbackPolicy(List.of(), List.of(), List.of()).checkUrl("https://legacy.example.org/").isOk()).isFalse();
        CallbackPolicy v6 = new CallbackPolicy(List.of("::1"), List.of(), List.of());
        assertThat(v6.checkUrl("http://[::1]/x").value().host()).as("IPv6 literal without brackets").isEqualTo("::1");
    }

    @Test
    void nonPublicAddressesAreRefusedInEveryForm() {
        for (String ip : List.of("127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "100.64.0.1", "169.254.169.254", "169.254.0.1", "0.0.0.0", "224.0.0.1", "239.255.255.250",
                "255.255.255.255", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "ff02::1",
                "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "::a9fe:a9fe",
                "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe")) {
            assertThat(policy.checkAddress(InetAddress.ofLiteral(ip))).as(ip).isPresent();
        }
        assertThat(policy.checkAddress(InetAddress.ofLiteral("169.254.169.254")).orElseThrow()).contains("link-local");
        assertThat(policy.checkAddress(InetAddress.ofLiteral("fd00::1")).orElseThrow()).contains("private");
        assertThat(policy.checkAddress(InetAddress.ofLiteral("::7f00:1")).orElseThrow()).contains("loopback");
        assertThat(policy.checkAddress(InetAddress.ofLiteral("64:ff9b::a9fe:a9fe")).orElseThrow()).contains("link-local (NAT64)");
        for (String ip : List.of("93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
                "64:ff9b::808:808", "::ffff:8.8.8.8")) {
            assertThat(policy.checkAddress(InetAddress.ofLiteral(ip))).as(ip).isEmpty();
        }
        // the allow-list names an exact IP, not its neighbours
        assertThat(policy.checkAddress(InetAddress.ofLiteral("10.1.2.3"))).isEmpty();
        assertThat(policy.checkAddress(InetAddress.ofLiteral("10.1.2.4"))).isPresent();
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
