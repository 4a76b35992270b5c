package dev.apiary.pdf.callback;

import dev.apiary.pdf.support.CallbackReceivers;
import dev.apiary.pdf.support.ScriptedDns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The callback HTTP client against real servers on two loopback addresses: it reaches an allow-listed address,
 * never a refused one, and connects to the very address it checked even when DNS answers differently afterwards.
 */
class CallbackClientTest {
    static final CallbackReceivers RECEIVERS = CallbackReceivers.SHARED;
    final ScriptedDns dns = new ScriptedDns();
    CallbackClient client;

    CallbackClient client(String... allowedIps) {
        CallbackPolicy policy = new CallbackPolicy(List.of("*.test", "127.0.0.1", "127.0.0.2"),
                List.of(allowedIps).stream().map(InetAddress::ofLiteral).toList(), List.of(RECEIVERS.port));
        client = new CallbackClient(new CallbackAddresses(policy, dns), Duration.ofSeconds(10));
        return client;
    }

    @AfterEach
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    static int post(CallbackClient c, String url) throws Exception {
        return c.post(URI.create(url), Map.of("X-Test", "1"), "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deliversToAnAllowListedLoopbackAddress() throws Exception {
        CallbackClient c = client(CallbackReceivers.ALLOWED_IP);
        assertThat(post(c, RECEIVERS.url(CallbackReceivers.ALLOWED_IP, "/client-literal"))).isEqualTo(204);
        assertThat(RECEIVERS.allowed("/client-literal")).hasSize(1);
        dns.answer("hooks.test", CallbackReceivers.ALLOWED_IP);
        assertThat(post(c, RECEIVERS.url("hooks.test", "/client-name"))).isEqualTo(204);
        assertThat(RECEIVERS.allowed("/client-name")).hasSize(1);
        assertThat(RECEIVERS.allowed("/client-name").getFirst().headers()).containsEntry("host", "hooks.test:" + RECEIVERS.port);
    }

    @Test
    void refusesAddressesThatAreNotAllowedBeforeConnecting() {
        CallbackClient c = client(CallbackReceivers.ALLOWED_IP);
        int victimBefore = RECEIVERS.victimTotal();
        assertThatThrownBy(() -> post(c, RECEIVERS.url(CallbackReceivers.VICTIM_IP, "/client-victim")))
                .isInstanceOf(CallbackRefusedException.class).hasMessageContaining("loopback");
        dns.answer("internal.test", CallbackReceivers.VICTIM_IP);
        assertThatThrownBy(() -> post(c, RECEIVERS.url("internal.test", "/client-victim")))
                .isInstanceOf(CallbackRefusedException.class).hasMessageContaining("127.0.0.1");
        // an answer that mixes a good address with a bad one is refused whole
        CallbackPolicy p = new CallbackPolicy(List.of("*.test"), List.of(InetAddress.ofLiteral(CallbackReceivers.ALLOWED_IP)), List.of());
        CallbackAddresses mixed = new CallbackAddresses(p, host -> new InetAddress[]{
                InetAddress.ofLiteral(CallbackReceivers.ALLOWED_IP), InetAddress.ofLiteral("169.254.169.254")});
        assertThatThrownBy(() -> mixed.resolve("mixed.test")).isInstanceOf(CallbackRefusedException.class)
                .hasMessageContaining("169.254.169.254");
        assertThat(RECEIVERS.victimTotal()).isEqualTo(victimBefore);
    }

    /**
     * DNS rebinding: the name answers the allowed address once and the victim's afterwards. Both are allowed here,
     * so only where the request lands tells whether the client connected to the address it checked (one lookup) or
     * looked the name up a second time.
     */
    @Test
    void connectsToTheAddressItCheckedWithoutASecondLookup() throws Exception {
        CallbackClient c = client(CallbackReceivers.ALLOWED_IP, CallbackReceivers.VICTIM_IP);
        dns.answer("rebind.test", CallbackReceivers.ALLOWED_IP, CallbackReceivers.VICTIM_IP);
        assertThat(post(c, RECEIVERS.url("rebind.test", "/client-rebind"))).isEqualTo(204);
        assertThat(dns.lookups("rebind.test")).isEqualTo(1);
        assertThat(RECEIVERS.allowed("/client-rebind")).hasSize(1);
        assertThat(RECEIVERS.victim("/client-rebind")).isEmpty();
    }

    /** The same rebinding where the second answer is not allowed: a later connection is refused, not redirected. */
    @Test
    void aLaterAnswerThatIsNotAllowedIsRefused() throws Exception {
        CallbackPolicy policy = new CallbackPolicy(List.of("*.test"), List.of(InetAddress.ofLiteral(CallbackReceivers.ALLOWED_IP)),
                List.of(RECEIVERS.port));
        CallbackAddresses addresses = new CallbackAddresses(policy, dns);
        dns.answer("flip.test", CallbackReceivers.ALLOWED_IP, CallbackReceivers.VICTIM_IP);
        assertThat(addresses.check(RECEIVERS.url("flip.test", "/client-flip"))).as("the check at submit").isEmpty();
        client = new CallbackClient(addresses, Duration.ofSeconds(10));
        assertThatThrownBy(() -> post(client, RECEIVERS.url("flip.test", "/client-flip")))
                .isInstanceOf(CallbackRefusedException.class).hasMessageContaining("loopback");
        assertThat(RECEIVERS.victim("/client-flip")).isEmpty();
        assertThat(RECEIVERS.allowed("/client-flip")).isEmpty();
    }
}
