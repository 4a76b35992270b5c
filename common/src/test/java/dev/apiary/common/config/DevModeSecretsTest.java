package dev.apiary.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import dev.apiary.common.test.RedisTestServer;

/** Built-in secrets only in dev mode; outside it, one start-up failure naming every unsafe setting. */
class DevModeSecretsTest {

    static final Map<String, String> DEV = Map.of(
            "apiary.security.api-keys", "dev-key",
            "apiary.test.signing-secret", "dev-signing-secret");

    private static StandardEnvironment env(Map<String, Object> props) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", props));
        return env;
    }

    @Test
    void everyUnsetDevOrShortSecretIsNamedAtOnce() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("apiary.security.api-keys", "dev-key,short-key," + "k".repeat(32));
        props.put("apiary.security.clients.lakeview.key", "tiny");
        props.put("apiary.security.clients.lakeview.schools", "lakeview");
        List<String> problems = DevModeSecrets.problems(env(props), DEV);
        assertThat(problems).containsExactlyInAnyOrder(
                "apiary.security.api-keys[0]: still the built-in dev value",
                "apiary.security.api-keys[1]: shorter than 32 characters",
                "apiary.security.clients.lakeview.key: shorter than 32 characters",
                "apiary.test.signing-secret: not set");
    }

    @Test
    void strongSecretsPass() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("apiary.security.clients.lakeview.key", "L".repeat(40));
        props.put("apiary.security.clients.lakeview.schools", "lakeview");
        props.put("apiary.test.signing-secret", "a-real-secret-from-the-vault");
        assertThat(DevModeSecrets.problems(env(props), DEV)).isEmpty();
    }

    @Test
    void noKeyAtAllIsAProblemAndADevValueSetExplicitlyIsToo() {
        Map<String, Object> props = Map.of("apiary.test.signing-secret", "dev-signing-secret");
        assertThat(DevModeSecrets.problems(env(props), DEV)).containsExactlyInAnyOrder(
                "apiary.security.api-keys (or an apiary.security.clients.<name>.key): not set",
                "apiary.test.signing-secret: still the built-in dev value");
    }

    @Test
    void theDevValuesOfEveryModuleOnTheClasspathAreFound() {
        assertThat(DevModeSecrets.devValues(getClass().getClassLoader()))
                .containsEntry("apiary.security.api-keys", "dev-key");
    }

    /** The real thing: a process that is not in dev mode exits non-zero with one message naming each setting. */
    @Test
    void outsideDevModeTheServiceExitsNonZeroNamingEverySetting(@TempDir Path dir) throws Exception {
        Path extra = dir.resolve("extra/META-INF");
        Files.createDirectories(extra);
        Files.writeString(extra.resolve("apiary-secrets.properties"), "apiary.test.signing-secret=dev-signing-secret\n");
        String cp = dir.resolve("extra") + File.pathSeparator
                + System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        RedisTestServer redis = RedisTestServer.shared();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.apiary.common.testapp.TestAppMain",
                "--apiary.dev-mode=false", "--server.port=0",
                "--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port(),
                "--apiary.security.api-keys=dev-key",
                "--apiary.security.clients.lakeview.key=short",
                "--apiary.security.clients.lakeview.schools=lakeview"));
        Path log = dir.resolve("out.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("Refusing to start")
                .contains("apiary.security.api-keys[0]: still the built-in dev value")
                .contains("apiary.security.clients.lakeview.key: shorter than 32 characters")
                .contains("apiary.test.signing-secret: not set")
                .doesNotContain("Tomcat started");
    }
}
