package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine): check what can be checked — the YAML parses, every service,
 * module, port, build argument and setting it names exists in the repository, the one Dockerfile and .dockerignore,
 * and `docker compose config` when a compose CLI exists.
 */
class ComposeFileTest {
    static final Map<String, String> MODULES = Map.of("providers", "sandbox/providers", "legacy-app", "sandbox/legacy-app",
            "pdf-service", "pdf-service", "alert-service", "alert-service", "gradebook-service", "gradebook-service");

    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(Shell.root().resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
    }

    static String sources(String module) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String m : List.of(module, "common")) {
            try (Stream<Path> s = Files.walk(Shell.root().resolve(m).resolve("src/main"))) {
                for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".java")
                        || p.toString().endsWith(".properties")).toList()) {
                    all.append(Files.readString(p)).append('\n');
                }
            }
        }
        return all.toString();
    }

    /**
     * Whether a relaxed-bound env var (APIARY_PDF_DATA_DIR -> apiary.pdf.dataDir) lands on a setting of the module:
     * the words after APIARY_<SERVICE>_ joined ("datadir") appear in its sources, or the first of them names a nested
     * record and the rest its component (APIARY_ALERT_TWILIO_BASE_URL -> "twilio" ... "baseurl"); lower case.
     */
    static boolean settingExists(String src, String env) {
        String lower = src.toLowerCase();
        String[] w = env.toLowerCase().split("_");
        if (w.length < 3) return false;
        String rest = String.join("", java.util.Arrays.copyOfRange(w, 2, w.length));
        if (lower.contains(rest)) return true;
        return w.length > 3 && lower.contains(w[2]) && lower.contains(String.join("", java.util.Arrays.copyOfRange(w, 3, w.length)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesImagesAndVolumes() throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertThat(services.keySet()).containsExactlyInAnyOrder("redis", "providers", "legacy-app", "pdf-service",
                "alert-service", "gradebook-service", "nginx");
        assertThat(service("redis").get("command").toString()).contains("--appendonly, yes");
        assertThat(service("redis").get("healthcheck")).isNotNull();
        assertThat(service("nginx").get("healthcheck")).isNotNull();
        assertThat(((List<String>) service("nginx").get("volumes")).getFirst()).startsWith("./nginx/docker/nginx.conf:");
        assertThat(Shell.root().resolve("nginx/docker/nginx.conf")).exists();
        assertThat(((Map<String, Object>) compose().get("volumes")).keySet()).contains("redis-data", "pdf-data");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyBuiltServiceIsTheOneDockerfileWithItsModuleAndPort() throws IOException {
        String dockerfile = Files.readString(Shell.root().resolve("Dockerfile"));
        assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM ")).count()).as("multi-stage").isGreaterThanOrEqualTo(3);
        assertThat(dockerfile).containsPattern("(?m)^USER apiary$").contains("HEALTHCHECK").contains("EXPOSE ${PORT}")
                .contains("HEALTH_PORT=${PORT}").contains("127.0.0.1:${HEALTH_PORT}/actuator/health")
                .contains("-pl \"$MODULE\" -am");
        for (var e : MODULES.entrySet()) {
            Map<String, Object> build = (Map<String, Object>) service(e.getKey()).get("build");
            assertThat(build.get("context")).isEqualTo(".");
            assertThat(build).as(e.getKey() + " uses the one Dockerfile").doesNotContainKey("dockerfile");
            Map<String, Object> args = (Map<String, Object>) build.get("args");
            assertThat(args.get("MODULE")).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(Shell.root().resolve(e.getValue() + "/pom.xml")).exists();
            assertThat(Shell.root().resolve(e.getValue() + "/Dockerfile")).as("no per-module Dockerfile").doesNotExist();
            String port = ((List<Object>) service(e.getKey()).get("expose")).getFirst().toString();
            assertThat(args.get("PORT")).as(e.getKey() + " PORT = expose").hasToString(port);
            String props = Files.readString(Shell.root().resolve(e.getValue() + "/src/main/resources/application.properties"));
            assertThat(props).as(e.getKey() + " server.port").contains("server.port=" + port);
            for (String arg : args.keySet()) {
                assertThat(dockerfile).as(e.getKey() + " passes a build argument the Dockerfile declares")
                        .containsPattern("(?m)^ARG " + arg + "\\b");
            }
        }
        assertThat(((Map<String, Object>) service("gradebook-service").get("build")).get("args").toString())
                .contains("UI=gradebook");
    }

    @Test
    void theBuildContextLeavesBuildOutputAndLocalStateOut() throws IOException {
        List<String> ignored = Files.readAllLines(Shell.root().resolve(".dockerignore"));
        assertThat(ignored).contains(".git", ".apiary", "**/target", "**/node_modules");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySettingNamedInTheEnvironmentExists() throws IOException {
        for (var e : MODULES.entrySet()) {
            Map<String, Object> env = (Map<String, Object>) service(e.getKey()).get("environment");
            String src = sources(e.getValue());
            for (String name : env.keySet()) {
                if (name.startsWith("SPRING_DATA_REDIS_")) continue; // Spring Boot's own
                boolean found = src.contains("${" + name) // a placeholder in application.properties
                        || name.startsWith("APIARY_") && settingExists(src, name)
                        || name.startsWith("SANDBOX_") && src.toLowerCase().contains(name.substring(8).toLowerCase().replace("_", ""));
                assertThat(found).as(e.getKey() + " has no setting for " + name).isTrue();
            }
        }
    }

    @Test
    void nginxUpstreamsAreTheComposeServices() throws IOException {
        String conf = Files.readString(Shell.root().resolve("nginx/docker/nginx.conf"));
        Matcher m = Pattern.compile("server ([a-z-]+):(\\d+) ").matcher(conf);
        int n = 0;
        while (m.find()) {
            n++;
            Map<String, Object> svc = service(m.group(1));
            assertThat(svc).as(m.group(1)).isNotNull();
            assertThat(svc.get("expose").toString()).contains(m.group(2));
        }
        assertThat(n).isEqualTo(4);
        assertThat(conf).contains("alias /data/pdf/;");
        assertThat(service("pdf-service").get("volumes").toString()).contains("pdf-data:/data/pdf");
    }

    @Test
    void dockerComposeConfigWhenACliIsThere() {
        Assumptions.assumeTrue(Shell.run(List.of("docker", "compose", "version"), Map.of()).exit() == 0,
                "no docker compose CLI on this machine: the YAML checks above stand in for `docker compose config`");
        Shell r = Shell.run(List.of("docker", "compose", "-f", "docker-compose.yml", "config", "-q"), Map.of());
        assertThat(r.exit()).as(r.output()).isZero();
    }
}
