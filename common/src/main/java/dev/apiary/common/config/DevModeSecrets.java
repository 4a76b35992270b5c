package dev.apiary.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.apiary.common.security.SecurityProperties;

/**
 * Built-in secrets exist only in dev mode ({@code apiary.dev-mode=true}, set by {@code ./apiary up} and the tests).
 * <p>
 * Every module lists its secrets with their dev values in {@code META-INF/apiary-secrets.properties}. In dev mode
 * those values become the lowest-precedence defaults (plus a dev admin client). Outside dev mode the
 * service refuses to start, with one message naming every secret that is unset or still a dev value, and every API
 * or client key shorter than {@value #MIN_KEY_LENGTH} characters.
 */
public class DevModeSecrets implements EnvironmentPostProcessor {

    public static final String DEV_MODE = "apiary.dev-mode";
    static final String SECRETS_RESOURCE = "META-INF/apiary-secrets.properties";
    static final int MIN_KEY_LENGTH = 32;
    static final String API_KEYS = "apiary.security.api-keys";
    static final String CLIENTS = "apiary.security.clients";

    /** Dev-mode conveniences that are not secrets of a module. */
    static final Map<String, Object> DEV_EXTRAS = Map.of(
            CLIENTS + ".ops.key", "dev-ops-key",
            CLIENTS + ".ops.schools", "*",
            CLIENTS + ".ops.scopes", "admin");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        // Spring AOT processing (the build) refreshes the context only to write its bean definitions down: secrets
        // are checked where the jar runs, and dev mode must not shape the beans of a production jar
        if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) return;
        Map<String, String> devValues = devValues(application.getClassLoader());
        if (env.getProperty(DEV_MODE, Boolean.class, false)) {
            Map<String, Object> defaults = new LinkedHashMap<>(devValues);
            DEV_EXTRAS.forEach(defaults::putIfAbsent);
            var source = new MapPropertySource("apiaryDevModeSecrets", defaults);
            // before common's defaults, whichever of the two ran first
            if (env.getPropertySources().contains(CommonDefaults.SOURCE_NAME)) {
                env.getPropertySources().addBefore(CommonDefaults.SOURCE_NAME, source);
            } else {
                env.getPropertySources().addLast(source);
            }
            return;
        }
        List<String> problems = problems(env, devValues);
        if (!problems.isEmpty()) {
            throw new UnsafeSecretsException(problems);
        }
    }

    static List<String> problems(ConfigurableEnvironment env, Map<String, String> devValues) {
        Binder binder = Binder.get(env);
        List<String> problems = new ArrayList<>();
        List<String> apiKeys = binder.bind(API_KEYS, Bindable.listOf(String.class)).orElse(List.of());
        Map<String, SecurityProperties.Client> clients = binder.bind(CLIENTS,
                Bindable.mapOf(String.class, SecurityProperties.Client.class)).orElse(Map.of());
        if (apiKeys.stream().allMatch(String::isBlank) && clients.isEmpty()) {
            problems.add(API_KEYS + " (or an apiary.security.clients.<name>.key): not set");
        }
        for (int i = 0; i < apiKeys.size(); i++) {
            keyProblem(API_KEYS + "[" + i + "]", apiKeys.get(i), devValues.get(API_KEYS)).ifPresent(problems::add);
        }
        clients.forEach((name, c) -> keyProblem(CLIENTS + "." + name + ".key", c.key(), null).ifPresent(problems::add));
        devValues.forEach((property, devValue) -> {
            if (property.equals(API_KEYS)) return;
            String value = env.getProperty(property);
            if (value == null || value.isBlank()) {
                problems.add(property + ": not set");
            } else if (value.equals(devValue)) {
                problems.add(property + ": still the built-in dev value");
            }
        });
        return problems;
    }

    private static Optional<String> keyProblem(String name, String key, String devValue) {
        if (key == null || key.isBlank()) return Optional.of(name + ": empty");
        if (key.trim().equals(devValue)) return Optional.of(name + ": still the built-in dev value");
        if (key.trim().length() < MIN_KEY_LENGTH) {
            return Optional.of(name + ": shorter than " + MIN_KEY_LENGTH + " characters");
        }
        return Optional.empty();
    }

    static Map<String, String> devValues(ClassLoader loader) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            ClassLoader cl = loader != null ? loader : DevModeSecrets.class.getClassLoader();
            Enumeration<URL> urls = cl.getResources(SECRETS_RESOURCE);
            while (urls.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = urls.nextElement().openStream()) {
                    p.load(in);
                }
                p.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, p.getProperty(k)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SECRETS_RESOURCE, e);
        }
        return values;
    }
}
