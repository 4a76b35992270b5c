package dev.apiary.common.config;

import java.util.List;

/** Thrown at start-up outside dev mode when a secret is unset, a built-in dev value, or a key is too short. */
public class UnsafeSecretsException extends IllegalStateException {

    private final List<String> problems;

    public UnsafeSecretsException(List<String> problems) {
        super("Refusing to start: these secrets are unset or unsafe (set them, or run with apiary.dev-mode=true "
                + "for local development only):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
