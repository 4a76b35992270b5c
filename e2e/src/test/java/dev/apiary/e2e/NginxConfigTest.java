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
        assertThat(Shell.available("nginx")).as("nginx (./apiary test installs it)").isTrue();
        Shell r = Shell.run(List.of("./apiary", "nginx_check"), Map.of("APIARY_STATE_DIR", state.toString(),
                "APIARY_PORTS", "auto", "APIARY_PORT", "auto",
                "APIARY_PDF_INSTANCES", Integer.toString(pdfInstances),
                "APIARY_GRADEBOOK_INSTANCES", Integer.toString(gradebookInstances)));
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
                .contains("proxy_set_header X-Forwarded-Proto $scheme;")
                .contains("proxy_set_header X-Forwarded-Host $http_host;")
                .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
                .contains("add_header X-Content-Type-Options nosniff always;")
                .containsPattern("gzip_types [^;]*application/json[^;]*application/javascript");
        for (String svc : List.of("pdf", "alerts", "gradebook")) {
            assertThat(conf).contains("location /api/" + svc + "/v3/api-docs");
        }
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
