package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A wrong or missing API key is answered 401 by every service, through nginx. */
@Order(2)
class AuthIT {
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    record Call(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Call> calls() {
        return List.of(
                new Call("POST", "/api/pdf/v1/reports"),
                new Call("GET", "/api/pdf/v1/reports/some-id"),
                new Call("GET", "/api/pdf/v1/reports/some-id/file"),
                new Call("POST", "/api/alerts/v1/alerts"),
                new Call("GET", "/api/alerts/v1/alerts/some-id"),
                new Call("GET", "/api/gradebook/v1/sections/101"),
                new Call("PUT", "/api/gradebook/v1/sections/101/scores"),
                new Call("POST", "/api/gradebook/v1/calculate"));
    }

    @ParameterizedTest
    @MethodSource("calls")
    void wrongKeyIs401(Call call) {
        for (String bearer : new String[] {"wrong-" + suite.apiKey(), null}) {
            Suite.Response r = switch (call.method()) {
                case "POST" -> suite.post(call.path(), bearer, "{}");
                case "PUT" -> suite.put(call.path(), bearer, "{}");
                default -> suite.get(call.path(), bearer);
            };
            assertThat(r.status()).as(call + " with bearer " + bearer + ": " + r).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @MethodSource("calls")
    void theRightKeyGetsPastAuthentication(Call call) {
        Suite.Response r = switch (call.method()) {
            case "POST" -> suite.post(call.path(), suite.apiKey(), "{}");
            case "PUT" -> suite.put(call.path(), suite.apiKey(), "{}");
            default -> suite.get(call.path(), suite.apiKey());
        };
        assertThat(r.status()).as(call + ": " + r).isNotIn(401, 403);
    }
}
