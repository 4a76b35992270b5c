package dev.apiary.common.testapp;

import static dev.apiary.common.testapp.TestHttp.request;
import static dev.apiary.common.testapp.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.apiary.common.test.Await;
import dev.apiary.common.test.RedisClusterTestServer;
import dev.apiary.common.test.RedisNode;

/**
 * A Redis Cluster loses a master: requests on its slots answer 503 problem+json (never a bare 500) until its replica
 * has taken over by itself; then they work again, and the queue consumer resumes, without a restart.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "apiary.security.api-keys=test-key-1")
@DirtiesContext // its cluster is broken: close the app (and its Redis clients) after the class; the cluster dies with the JVM
class ClusterOutageTest {

    /** Its own cluster (a master is killed), with a short node timeout so the replica takes over soon. */
    static final RedisClusterTestServer CLUSTER = RedisClusterTestServer.startPrivate(Duration.ofSeconds(2));

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry r) {
        CLUSTER.register(r);
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> enqueue(String name) {
        return send(request(port, "/api/test/v1/jobs").header("Authorization", "Bearer test-key-1")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
    }

    @Test
    void aMasterDownAnswers503UntilItsReplicaTookOverThenEverythingWorksAgain() {
        assertThat(enqueue("cluster-before").statusCode()).isEqualTo(200);
        Await.until(Duration.ofSeconds(20), "handled", () -> TestApp.HANDLED.contains("cluster-before"));

        RedisNode master = CLUSTER.masterOf("apiary:test:{jobs}");
        CLUSTER.kill(master);
        HttpResponse<String> during = enqueue("cluster-during");
        if (during.statusCode() != 200) { // the replica may already have taken over on a slow machine
            assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
            assertThat(during.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(during.headers().firstValue("Retry-After")).hasValue("5");
        }

        CLUSTER.awaitServing(Duration.ofSeconds(60));
        assertThat(CLUSTER.masterOf("apiary:test:{jobs}")).isNotEqualTo(master);
        Await.until(Duration.ofSeconds(60), "accepting work again", () -> enqueue("cluster-after").statusCode() == 200);
        Await.until(Duration.ofSeconds(30), "the consumer resumed by itself",
                () -> TestApp.HANDLED.contains("cluster-after"));
    }
}
