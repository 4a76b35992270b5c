package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/: shellcheck on every script; the CodeDeploy hooks install a bundle into a temporary root the way they would
 * on a host; rsync-deploy.sh switches releases and rolls back on failed health; systemd units verify.
 */
class DeployTest {
    @TempDir
    Path tmp;

    static List<String> scripts() throws IOException {
        List<String> out = new ArrayList<>();
        for (String dir : List.of("deploy", "scripts")) {
            try (Stream<Path> s = Files.walk(Shell.root().resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".sh")).forEach(p -> out.add(Shell.root().relativize(p).toString()));
            }
        }
        return out;
    }

    @Test
    void shellcheckEveryScript() throws IOException {
        assertThat(Shell.available("shellcheck")).as("shellcheck (./apiary test installs it)").isTrue();
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x"));
        cmd.addAll(scripts());
        assertThat(scripts()).contains("deploy/rsync-deploy.sh", "deploy/codedeploy/hooks/after_install.sh",
                "scripts/suite.sh");
        Shell r = Shell.run(cmd, Map.of());
        assertThat(r.exit()).as(r.output()).isZero();
        // ./apiary sources scripts/*.sh by a computed path (SC1090 cannot follow it)
        Shell apiary = Shell.run(List.of("shellcheck", "-x", "-S", "warning", "-e", "SC1090", "apiary"), Map.of());
        assertThat(apiary.exit()).as(apiary.output()).isZero();
    }

    /**
     * Every secret a module declares (META-INF/apiary-secrets.properties, the list dev mode reads) is in the env example
     * of the service that needs it (common's in apiary.env), EMPTY so an unedited file cannot start a service, with a
     * way to get a value on the line above.
     */
    @Test
    void theEnvExamplesListEverySecretEmptyWithAWayToGenerateIt() throws IOException {
        Map<String, String> exampleOf = Map.of("common", "apiary", "pdf-service", "pdf-service",
                "alert-service", "alert-service", "gradebook-service", "gradebook-service");
        int secrets = 0;
        for (var module : exampleOf.entrySet()) {
            Path declared = Shell.root().resolve(module.getKey() + "/src/main/resources/META-INF/apiary-secrets.properties");
            assertThat(declared).as(module.getKey() + " declares its secrets").exists();
            java.util.Properties props = new java.util.Properties();
            try (var in = Files.newBufferedReader(declared)) {
                props.load(in);
            }
            List<String> example = Files.readAllLines(Shell.root().resolve("deploy/env/" + module.getValue() + ".env.example"));
            for (String property : props.stringPropertyNames()) {
                String env = property.replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT);
                int line = example.indexOf(env + "=");
                assertThat(line).as(env + " (" + property + ") empty in deploy/env/" + module.getValue() + ".env.example")
                        .isPositive();
                assertThat(example.get(line - 1)).as("the line above " + env).startsWith("#")
                        .containsAnyOf("Generate: ", "From: ");
                secrets++;
            }
        }
        assertThat(secrets).as("secrets declared by the modules").isGreaterThanOrEqualTo(7);
    }

    @Test
    void nothingUnderDeploySetsDevModeAndTheUnitsForbidIt() throws IOException {
        try (Stream<Path> files = Files.walk(Shell.root().resolve("deploy"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString())
                        .doesNotContainPattern("(?i)dev[-_.]?mode\\s*[=:]\\s*\"?true");
            }
        }
        for (String svc : List.of("pdf-service", "alert-service", "gradebook-service")) {
            assertThat(Files.readString(Shell.root().resolve("deploy/systemd/apiary-" + svc + ".service")))
                    .containsPattern("(?m)^ExecStart=.* -jar \\S+ --apiary\\.dev-mode=false$");
        }
    }

    @Test
    void systemdUnitsVerify() {
        assertThat(Shell.available("systemd-analyze")).as("systemd-analyze (./apiary test installs systemd)").isTrue();
        for (String svc : List.of("pdf-service", "alert-service", "gradebook-service")) {
            Shell r = Shell.run(List.of("systemd-analyze", "verify", "deploy/systemd/apiary-" + svc + ".service"), Map.of());
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).doesNotContainIgnoringCase("unknown");
        }
    }

    Path stub(String name, String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    /** A Java installation as Debian packages lay it out: bin/java and a release file naming the version. */
    static void fakeJava(Path root, String dir, String version) throws IOException {
        Path home = Files.createDirectories(root.resolve("usr/lib/jvm/" + dir + "/bin"));
        Files.writeString(home.resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(home.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.getParent().resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    }

    Path bundle(String service, String jarContent) throws IOException {
        Path jar = tmp.resolve(service + "-" + jarContent + ".jar");
        Files.writeString(jar, jarContent);
        Path out = Files.createDirectories(tmp.resolve("out-" + jarContent));
        Shell r = Shell.run(List.of("deploy/codedeploy/build-bundle.sh", service, out.toString()),
                Map.of("APIARY_BUNDLE_JAR", jar.toString()));
        assertThat(r.exit()).as(r.output()).isZero();
        Path dir = Files.createDirectories(tmp.resolve("bundle-" + jarContent));
        Shell x = Shell.run(List.of("tar", "-xzf", out.resolve("apiary-" + service + ".tar.gz").toString(), "-C", dir.toString()), Map.of());
        assertThat(x.exit()).as(x.output()).isZero();
        return dir;
    }

    Shell hook(Path bundle, String hook, Map<String, String> env) {
        return Shell.run(List.of(bundle.resolve("hooks/" + hook + ".sh").toString()), env);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pdf-service", "alert-service", "gradebook-service"})
    void codeDeployHooksInstallIntoATemporaryRoot(String service) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path calls = tmp.resolve("systemctl.log");
        Path ready = tmp.resolve("ready");
        Map<String, String> env = new HashMap<>(Map.of(
                "APIARY_ROOT", root.toString(),
                "APIARY_SYSTEMCTL", stub("systemctl", "echo \"$*\" >> " + calls + "; [ \"$1\" != is-active ]").toString(),
                "APIARY_USERADD", stub("useradd", "echo \"useradd $*\" >> " + calls).toString(),
                "APIARY_HEALTH_URL", "file://" + ready,
                "APIARY_VALIDATE_TIMEOUT", "3"));

        Path b1 = bundle(service, "v1");
        assertThat(Files.readString(b1.resolve("appspec.yml"))).contains("ValidateService", "/opt/apiary/" + service);
        // no Java 25 on the host: the install stops before switching anything, naming what to install
        fakeJava(root, "java-17-openjdk-amd64", "17.0.9");
        Shell noJava = hook(b1, "after_install", env);
        assertThat(noJava.exit()).isNotZero();
        assertThat(noJava.output()).contains("no Java 25");
        assertThat(root.resolve("opt/apiary/" + service + "/current")).doesNotExist();
        fakeJava(root, "temurin-25-jre-amd64", "25.0.3");
        for (String h : List.of("application_stop", "before_install", "after_install", "application_start")) {
            Shell r = hook(b1, h, env);
            assertThat(r.exit()).as(h + ": " + r.output()).isZero();
        }
        Path app = root.resolve("opt/apiary/" + service);
        assertThat(Files.readString(app.resolve("current/" + service + ".jar"))).isEqualTo("v1");
        assertThat(root.resolve("etc/systemd/system/apiary-" + service + ".service")).exists();
        Path envFile = root.resolve("etc/apiary/apiary.env");
        assertThat(envFile).exists();
        // the units run the Java 25 the deploy found, not whatever /usr/bin/java is
        assertThat(Files.readString(root.resolve("etc/apiary/java.env")))
                .contains("APIARY_JAVA=/usr/lib/jvm/temurin-25-jre-amd64/bin/java");
        assertThat(Files.readString(root.resolve("etc/systemd/system/apiary-" + service + ".service")))
                .contains("EnvironmentFile=-/etc/apiary/java.env",
                        "ExecStart=/usr/bin/env ${APIARY_JAVA} @/opt/apiary/" + service + "/current/jvm.args $JAVA_OPTS -jar");
        // the release carries the service's JVM flags (deploy/jvm), without an AOT cache when the bundle has none
        assertThat(Files.readString(app.resolve("current/jvm.args")))
                .isEqualTo(Files.readString(Shell.root().resolve("deploy/jvm/" + service + ".args")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-r-----");
        assertThat(root.resolve("var/lib/apiary/" + service)).isDirectory();
        assertThat(Files.readString(calls)).contains("daemon-reload", "enable apiary-" + service + ".service",
                "restart apiary-" + service + ".service");

        // ValidateService: fails while the service is not ready, passes once it is
        assertThat(hook(b1, "validate_service", env).exit()).isNotZero();
        Files.writeString(ready, "{\"status\":\"UP\"}");
        Shell ok = hook(b1, "validate_service", env);
        assertThat(ok.exit()).as(ok.output()).isZero();

        // a second revision: stop the old one, new release current, previous remembered, secrets left alone
        Files.writeString(envFile, "APIARY_SECURITY_API_KEYS=real-secret\n");
        Path b2 = bundle(service, "v2");
        for (String h : List.of("application_stop", "before_install", "after_install", "application_start", "validate_service")) {
            Shell r = hook(b2, h, env);
            assertThat(r.exit()).as(h + ": " + r.output()).isZero();
        }
        assertThat(Files.readString(app.resolve("current/" + service + ".jar"))).isEqualTo("v2");
        assertThat(Files.readString(app.resolve("previous")).trim()).startsWith("releases/");
        assertThat(Files.readString(envFile)).contains("real-secret");
        assertThat(Files.readString(calls)).contains("stop apiary-" + service + ".service");
        try (Stream<Path> s = Files.list(app.resolve("releases"))) {
            assertThat(s.count()).isEqualTo(2);
        }
    }

    /** A bundle with an AOT cache: the release runs the extracted jar with -XX:AOTCache when the host's Java accepts it. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anAotCacheIsUsedOnlyWhenTheHostsJavaAcceptsIt(boolean accepted) throws Exception {
        String service = "pdf-service";
        Path aot = Files.createDirectories(tmp.resolve("aot/lib"));
        Files.writeString(aot.resolve("dep.jar"), "dep");
        Files.writeString(aot.getParent().resolve(service + ".jar"), "thin");
        Files.writeString(aot.getParent().resolve(service + ".aot"), "cache");
        Path jar = Files.writeString(tmp.resolve("boot.jar"), "boot");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Shell b = Shell.run(List.of("deploy/codedeploy/build-bundle.sh", service, out.toString()),
                Map.of("APIARY_BUNDLE_JAR", jar.toString(), "APIARY_BUNDLE_AOT_DIR", aot.getParent().toString()));
        assertThat(b.exit()).as(b.output()).isZero();
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        assertThat(Shell.run(List.of("tar", "-xzf", out.resolve("apiary-" + service + ".tar.gz").toString(), "-C",
                bundle.toString()), Map.of()).exit()).isZero();

        Path root = Files.createDirectories(tmp.resolve("root"));
        fakeJava(root, "temurin-25-jre-amd64", "25.0.3");
        Path calls = tmp.resolve("java.log");
        // the host's Java: records its arguments; rejects the cache (as -XX:AOTMode=on does) unless accepted
        Files.writeString(root.resolve("usr/lib/jvm/temurin-25-jre-amd64/bin/java"),
                "#!/bin/sh\necho \"$*\" >> " + calls + "\n" + (accepted ? "exit 0\n" : "echo 'Unable to use AOT cache.' >&2; exit 1\n"));
        Map<String, String> env = Map.of("APIARY_ROOT", root.toString(),
                "APIARY_SYSTEMCTL", stub("systemctl", "true").toString(), "APIARY_USERADD", stub("useradd", "true").toString());
        Shell before = hook(bundle, "before_install", env);
        assertThat(before.exit()).as(before.output()).isZero();
        Shell r = hook(bundle, "after_install", env);
        assertThat(r.exit()).as(r.output()).isZero();

        Path current = root.resolve("opt/apiary/" + service + "/current");
        String args = Files.readString(current.resolve("jvm.args"));
        assertThat(args).startsWith(Files.readString(Shell.root().resolve("deploy/jvm/" + service + ".args")));
        assertThat(Files.readString(calls)).contains("-XX:AOTMode=on", "-XX:AOTCache=", "-version");
        if (accepted) {
            assertThat(args).containsPattern("(?m)^-XX:AOTCache=\\S+/releases/[^/]+/" + service + "\\.aot$");
            assertThat(Files.readString(current.resolve(service + ".jar"))).isEqualTo("thin");
            assertThat(Files.readString(current.resolve("lib/dep.jar"))).isEqualTo("dep");
            assertThat(r.output()).contains("AOT cache in use");
        } else {
            assertThat(args).doesNotContain("AOTCache");
            assertThat(Files.readString(current.resolve(service + ".jar"))).isEqualTo("boot");
            assertThat(current.resolve("lib")).doesNotExist();
            assertThat(current.resolve(service + ".aot")).doesNotExist();
            assertThat(r.output()).contains("AOT cache not usable");
        }
    }

    @Test
    void rsyncDeploySwitchesReleasesAndRollsBackWhenUnhealthy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("remote"));
        Path ready = tmp.resolve("ready");
        Path calls = tmp.resolve("remote-systemctl.log");
        Map<String, String> env = new HashMap<>(Map.of(
                // ssh HOST CMD -> run CMD here; rsync SRC HOST:DST -> cp SRC DST
                "APIARY_SSH", stub("ssh", "shift; exec bash -c \"$*\"").toString(),
                "APIARY_RSYNC", stub("rsync", "args=(); for a in \"$@\"; do case \"$a\" in -*) ;; *) args+=(\"$a\");; esac; done\n"
                        + "cp \"${args[@]:0:${#args[@]}-1}\" \"${args[-1]#*:}\"").toString(),
                "APIARY_REMOTE_ROOT", root.toString(),
                "APIARY_REMOTE_SYSTEMCTL", stub("rsystemctl", "echo \"$*\" >> " + calls).toString(),
                "APIARY_HEALTH_URL", "file://" + ready,
                "APIARY_HEALTH_TIMEOUT", "3"));
        Path v1 = Files.writeString(tmp.resolve("v1.jar"), "v1");
        Path v2 = Files.writeString(tmp.resolve("v2.jar"), "v2");
        Path current = root.resolve("opt/apiary/gradebook-service/current/gradebook-service.jar");
        fakeJava(root, "temurin-25-jdk-amd64", "25.0.3");

        Files.writeString(ready, "UP");
        env.put("APIARY_DEPLOY_JAR", v1.toString());
        Shell first = Shell.run(List.of("deploy/rsync-deploy.sh", "app1.example", "gradebook-service"), env);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(Files.readString(current)).isEqualTo("v1");
        assertThat(root.resolve("etc/systemd/system/apiary-gradebook-service.service")).exists();
        assertThat(Files.readString(root.resolve("etc/apiary/java.env")))
                .contains("APIARY_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

        Files.delete(ready); // the new release never becomes healthy
        env.put("APIARY_DEPLOY_JAR", v2.toString());
        Shell second = Shell.run(List.of("deploy/rsync-deploy.sh", "app1.example", "gradebook-service"), env);
        assertThat(second.exit()).as(second.output()).isNotZero();
        assertThat(Files.readString(current)).as("rolled back").isEqualTo("v1");
        try (Stream<Path> s = Files.list(root.resolve("opt/apiary/gradebook-service/releases"))) {
            assertThat(s.count()).as("the failed release is removed").isEqualTo(1);
        }
        assertThat(Files.readAllLines(calls).stream().filter(l -> l.startsWith("restart")).count()).isEqualTo(3);

        Shell bad = Shell.run(List.of("deploy/rsync-deploy.sh", "app1.example", "no-such-service"), env);
        assertThat(bad.exit()).isEqualTo(2);
    }
}
