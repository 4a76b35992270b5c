package dev.apiary.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.apiary.architecture.Modules.Module;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite's layering, enforced on every module's main classes (every module the parent pom lists):
 * services use only themselves and common, common uses no service, the pure cores use no framework, and no
 * module has a package cycle. The one place these rules live (docs/ARCHITECTURE.md, "Enforced rules").
 */
class ArchitectureTest {
    static final String COMMON = "dev.apiary.common";

    /** Calculation, layout and decision cores: plain Java, unit-tested directly. */
    static final List<String> PURE_CORES = List.of(
            "dev.apiary.gradebook.calc",   // grade calculation
            "dev.apiary.pdf.render",       // report layout
            "dev.apiary.alert.core");      // alert rules, pacing, send decisions

    /** What a pure core must not use: Spring (also spring-data-redis), Redis clients, servlets, Jackson databind. */
    static final String[] NOT_IN_A_PURE_CORE = {
            "org.springframework..",
            "io.lettuce..", "redis.clients..",
            "jakarta.servlet..", "javax.servlet..",
            "tools.jackson.databind..", "com.fasterxml.jackson.databind.."};

    static Modules modules;

    @BeforeAll
    static void importModules() throws Exception {
        modules = Modules.read(Path.of(System.getProperty("apiary.root", "..")));
    }

    @Test
    void aServiceUsesNoOtherService() {
        List<String> failures = new ArrayList<>();
        for (Module m : modules.all()) {
            if (m.isCommon()) {
                continue;
            }
            check(failures, m.classes(), noClasses().that().resideInAPackage(m.rootPackage() + "..")
                    .should().dependOnClassesThat(resideInAPackage("dev.apiary..")
                            .and(not(resideInAnyPackage(m.rootPackage() + "..", COMMON + ".."))))
                    .as("module " + m.dir() + " uses only its own classes and common's")
                    .because("services share nothing but common and Redis"));
        }
        assertThat(failures).as("services importing other services").isEmpty();
    }

    @Test
    void commonUsesNoService() {
        Module common = modules.all().stream().filter(Module::isCommon).findFirst().orElseThrow();
        assertThat(common.rootPackage()).isEqualTo(COMMON);
        List<String> failures = new ArrayList<>();
        check(failures, common.classes(), noClasses().that().resideInAPackage(COMMON + "..")
                .should().dependOnClassesThat(resideInAPackage("dev.apiary..").and(not(resideInAPackage(COMMON + ".."))))
                .as("common uses no service")
                .because("common is what the services share, so it cannot know any of them"));
        assertThat(failures).as("common importing a service").isEmpty();
    }

    @Test
    void pureCoresUseNoFramework() {
        List<String> failures = new ArrayList<>();
        for (String core : PURE_CORES) {
            Module owner = modules.all().stream().filter(m -> core.startsWith(m.rootPackage() + ".")).findFirst()
                    .orElseThrow(() -> new AssertionError("no module owns the pure core " + core));
            // a renamed core must not turn this check into a no-op
            assertThat(owner.classes().stream().anyMatch(c -> c.getPackageName().startsWith(core)))
                    .as("classes in the pure core %s (module %s); update PURE_CORES if it moved", core, owner.dir())
                    .isTrue();
            check(failures, owner.classes(), noClasses().that().resideInAPackage(core + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(NOT_IN_A_PURE_CORE)
                    .as(core + " is a pure core")
                    .because("cores are plain Java: no Spring, Redis, servlet or Jackson databind types"));
        }
        assertThat(failures).as("pure cores using framework types").isEmpty();
    }

    @Test
    void noModuleHasAPackageCycle() {
        List<String> failures = new ArrayList<>();
        for (Module m : modules.all()) {
            check(failures, m.classes(), slices().matching(m.rootPackage() + ".(*)..").namingSlices(m.dir() + " $1")
                    .should().beFreeOfCycles()
                    .allowEmptyShould(true)
                    .as("the feature packages of " + m.dir() + " are free of cycles"));
        }
        assertThat(failures).as("package cycles").isEmpty();
    }

    /** Bean conditions that read a deployment's settings or profiles. */
    static final String[] SETTING_CONDITIONS = {
            "org.springframework.boot.autoconfigure.condition.ConditionalOnProperty",
            "org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty",
            "org.springframework.boot.autoconfigure.condition.ConditionalOnExpression",
            "org.springframework.context.annotation.Profile"};

    @Test
    void noBeanDependsOnADeploymentsSettingsAtBuildTime() {
        List<String> failures = new ArrayList<>();
        for (Module m : modules.all()) {
            for (String condition : SETTING_CONDITIONS) {
                check(failures, m.classes(), noClasses().should().beAnnotatedWith(condition)
                        .allowEmptyShould(true)
                        .as(m.dir() + ": no class is annotated with @" + condition.substring(condition.lastIndexOf('.') + 1))
                        .because("Spring AOT evaluates bean conditions when the jar is built; a bean that depends on "
                                + "a setting decides inside its bean method (e.g. RedisTopologyConfiguration)"));
                check(failures, m.classes(), noMethods().should().beAnnotatedWith(condition)
                        .allowEmptyShould(true)
                        .as(m.dir() + ": no bean method is annotated with @"
                                + condition.substring(condition.lastIndexOf('.') + 1))
                        .because("Spring AOT evaluates bean conditions when the jar is built"));
            }
        }
        assertThat(failures).as("bean conditions on settings").isEmpty();
    }

    private static void check(List<String> failures, JavaClasses classes, ArchRule rule) {
        EvaluationResult result = rule.evaluate(classes);
        if (result.hasViolation()) {
            failures.add(result.getFailureReport().toString());
        }
    }
}
