package dev.apiary.common.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints the unsafe secrets as one readable start-up failure instead of a stack trace. */
public class UnsafeSecretsFailureAnalyzer extends AbstractFailureAnalyzer<UnsafeSecretsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnsafeSecretsException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set each secret listed (deploy/env/*.example shows how to generate one), "
                        + "or set apiary.dev-mode=true on a developer machine.", cause);
    }
}
