package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nginx template renders (as `./apiary up` renders it) into a config that `nginx -t` accepts, with the routes. */
class NginxConfigTest {
    @TempDir
    Path state;

    String render(int pdfInstances, int gradebookInstances) throws Exception {
        return render(pdfInstances, gradebookInstances, Map.of());
    }

    String render(int pdfInstances, int gradebookInstances, Map<String, String> settings) throws Exception {
        assertThat(Shell.available("nginx")).as("nginx (./apiary test installs it)").isTrue();
        Map<String, String> env = new java.util.HashMap<>(Map.of("APIARY_STATE_DIR", state.toString(),
                "APIARY_PORTS", "auto", "APIARY_PORT", "auto",
                "APIARY_PDF_INSTANCES", Integer.toString(pdfInstances),
                "APIARY_GRADEBOOK_INSTANCES", Integer.toString(gradebookInstances)));
        env.putAll(settings);
        Shell r = Shell.run(List.of("./apiary", "nginx_check"), env);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("test is successful");
        return Files.readString(state.resolve("nginx/nginx.conf"));
    }

    static String block(String conf, String start) {
        int i = conf.indexOf(start);
        assertThat(i).as(start).isNotNegative();
        int depth = 0;
        for (int j = conf.indexOf('{', i); j < conf.length(); j++) {
            if (conf.charAt(j) == '{') depth++;
            if (conf.charAt(j) == '}' && --depth == 0) return conf.substring(i, j + 1);
        }
        throw new AssertionError("unclosed " + start);
    }

    @Test
    void upstreamsHoldEveryInstanceWithLeastConnAndKeepalive() throws Exception {
        String conf = render(3, 2);
        for (var e : Map.of("pdf_service", 3, "gradebook_service", 2, "alert_service", 1, "legacy_app", 1).entrySet()) {
            String up = block(conf, "upstream " + e.getKey());
            assertThat(up).contains("least_conn;").containsPattern("keepalive \\d+;");
            Matcher m = Pattern.compile("server 127\\.0\\.0\\.1:\\d+").matcher(up);
            int n = 0;
            while (m.find()) n++;
            assertThat(n).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(conf).doesNotContain("{{");
    }

    @Test
    void routesSseAccelLimitsAndHeaders() throws Exception {
        String conf = render(1, 1);
        assertThat(block(conf, "location /api/pdf/ ")).contains("proxy_pass http://pdf_service;")
                .contains("client_max_body_size 256m;");
        assertThat(block(conf, "location /api/alerts/ ")).contains("proxy_pass http://alert_service;")
                .contains("limit_req zone=alert_create");
        assertThat(block(conf, "location /alerts/ ")).contains("proxy_pass http://alert_service;");
        assertThat(block(conf, "location /api/gradebook/ ")).contains("proxy_pass http://gradebook_service;");
        assertThat(block(conf, "location /gradebook/ ")).contains("proxy_pass http://gradebook_service;");
        assertThat(block(conf, "location / ")).contains("proxy_pass http://legacy_app;");
        // every SSE location is unbuffered with a long read timeout
        Matcher sse = Pattern.compile("location ~ [^{]*events\\$ \\{[^}]*\\}").matcher(conf);
        int count = 0;
        while (sse.find()) {
            count++;
            assertThat(sse.group()).contains("proxy_buffering off;").contains("proxy_read_timeout 1h;");
        }
        assertThat(count).isGreaterThanOrEqualTo(5);
        String files = block(conf, "location /_files/pdf/ ");
        assertThat(files).contains("internal;").contains("alias " + state.resolve("pdf-data") + "/;");
        assertThat(conf).contains("proxy_set_header X-Apiary-Accel $apiary_accel;")
                .contains("proxy_set_header X-Request-Id $apiary_request_id;")
                .contains("proxy_set_header traceparent $apiary_traceparent;")
                .contains("proxy_set_header X-Forwarded-Proto $scheme;")
                .contains("proxy_set_header X-Forwarded-Host $http_host;")
                .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
                .contains("add_header X-Content-Type-Options nosniff always;")
                .containsPattern("gzip_types [^;]*application/json[^;]*application/javascript");
        for (String svc : List.of("pdf", "alerts", "gradebook")) {
            assertThat(conf).contains("location = /api/" + svc + "/v3/api-docs {");
        }
    }

    @Test
    void bodiesWaitForTheKeyWebhooksAreSmallAndManagementIsClosed() throws Exception {
        String conf = render(1, 1);
        // the API routes ask the service about the credentials before a body is read
        String auth = block(conf, "location ~ ^/_auth/(pdf|alerts|gradebook)$ ");
        // the W3C trace context: the caller's when well formed, else started here; the auth subrequest sends it too
        assertThat(block(conf, "map $http_traceparent $apiary_traceparent "))
                .contains("\"~^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$\"  $http_traceparent;")
                .contains("default").contains("\"00-$request_id-$apiary_span_id-01\";");
        assertThat(auth).contains("proxy_set_header traceparent $apiary_traceparent;");
        assertThat(auth).contains("internal;").contains("proxy_pass http://$apiary_auth_upstream/api/_auth;")
                .contains("proxy_pass_request_body off;").contains("proxy_set_header Content-Length \"\";")
                .contains("proxy_method GET;");
        String upstreams = block(conf, "map $uri $apiary_auth_upstream ");
        for (String[] route : new String[][] {{"pdf", "pdf_service"}, {"alerts", "alert_service"},
            {"gradebook", "gradebook_service"}}) {
            assertThat(block(conf, "location /api/" + route[0] + "/ ")).contains("auth_request /_auth/" + route[0] + ";");
            assertThat(upstreams).containsPattern("/_auth/" + route[0] + "\\s+" + route[1] + ";");
        }
        String hooks = block(conf, "location /api/alerts/v1/webhooks/ ");
        assertThat(hooks).contains("auth_request off;").contains("client_max_body_size 64k;")
                .contains("client_body_buffer_size 64k;").contains("limit_req zone=webhooks burst=400 delay=300;");
        assertThat(block(conf, "location = /api/pdf/v1/reports ")).contains("limit_req zone=pdf_create burst=100 delay=50;");
        assertThat(block(conf, "location = /api/alerts/v1/alerts ")).contains("limit_req zone=alert_create burst=20 nodelay;");
        assertThat(conf).contains("limit_req_zone $apiary_create_key zone=pdf_create:10m rate=10r/s;")
                .contains("limit_req_zone $binary_remote_addr zone=webhooks:10m rate=200r/s;")
                .contains("limit_conn_zone $binary_remote_addr zone=apiary_conn:10m;")
                .contains("limit_conn apiary_conn 256;");
        for (String closed : List.of("location ^~ /actuator ", "location ^~ /swagger-ui ", "location ^~ /v3/api-docs ")) {
            assertThat(block(conf, closed)).contains("return 404;");
        }
        for (int status : new int[] {401, 403, 404, 413, 429}) {
            assertThat(conf).contains("error_page " + status + " = @apiary_" + status + ";");
            assertThat(block(conf, "location @apiary_" + status + " ")).contains("default_type application/problem+json;")
                    .contains("return " + status + " '{");
        }
    }

    @Test
    void theLimitsAreSettings() throws Exception {
        String conf = render(1, 1, Map.of("APIARY_CONN_PER_ADDRESS", "77", "APIARY_PDF_CREATE_RATE", "3r/s",
                "APIARY_PDF_CREATE_BURST", "33", "APIARY_PDF_CREATE_DELAY", "11", "APIARY_WEBHOOK_RATE", "55r/s",
                "APIARY_WEBHOOK_BURST", "66", "APIARY_WEBHOOK_DELAY", "44"));
        assertThat(conf).contains("limit_conn apiary_conn 77;").contains("zone=pdf_create:10m rate=3r/s;")
                .contains("limit_req zone=pdf_create burst=33 delay=11;").contains("zone=webhooks:10m rate=55r/s;")
                .contains("limit_req zone=webhooks burst=66 delay=44;");
    }

    @Test
    void theDockerConfigIsTheTemplateRenderedAndUpToDate() throws Exception {
        Path out = state.resolve("docker-nginx.conf");
        Shell r = Shell.run(List.of("./apiary", "nginx_docker", out.toString()), Map.of());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(Files.readString(Shell.root().resolve("nginx/docker/nginx.conf")))
                .as("nginx/docker/nginx.conf is stale: run ./apiary nginx_docker").isEqualTo(Files.readString(out));
    }

    @Test
    void theTemplateNamesNoPathOfThisMachine() throws Exception {
        String template = Files.readString(Shell.root().resolve("nginx/apiary.conf.template"));
        assertThat(template).doesNotContainPattern("(?m)^[^#]*\\s/(work|home|root|tmp|var|etc|usr)/");
    }
}
