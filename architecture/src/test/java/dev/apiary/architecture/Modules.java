package dev.apiary.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The reactor's modules that have main code (from the parent pom), each with its compiled classes. */
record Modules(List<Module> all) {

    /** A module: its directory, its root package (the one every class of it lives under) and its classes. */
    record Module(String dir, String rootPackage, JavaClasses classes) {
        boolean isCommon() {
            return dir.equals("common");
        }
    }

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    static Modules read(Path root) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        List<Module> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(pom);
        while (m.find()) {
            String dir = m.group(1).trim();
            if (!Files.isDirectory(root.resolve(dir).resolve("src/main/java"))) {
                continue;   // test-only modules (e2e, this one)
            }
            Path classes = root.resolve(dir).resolve("target/classes");
            if (!Files.isDirectory(classes)) {
                throw new IllegalStateException(classes + " is missing: compile the modules first "
                        + "(mvn -B -ntp -pl architecture -am verify)");
            }
            // not the code Spring AOT generates at build time (Foo__BeanDefinitions, also in Spring's own packages,
            // and build-time configuration proxies): it is the framework's wiring, not the module's design
            JavaClasses imported = new ClassFileImporter()
                    .withImportOption(location -> !location.contains("__") && !location.contains("$$SpringCGLIB$$"))
                    .importPath(classes);
            modules.add(new Module(dir, rootPackage(dir, imported), imported));
        }
        if (modules.isEmpty()) {
            throw new IllegalStateException("no module with main code listed in " + root.resolve("pom.xml"));
        }
        return new Modules(List.copyOf(modules));
    }

    /** The longest package that holds every class of the module, e.g. dev.apiary.sandbox.providers. */
    private static String rootPackage(String dir, JavaClasses classes) {
        String prefix = null;
        for (JavaClass c : classes) {
            String p = c.getPackageName();
            if (prefix == null) {
                prefix = p;
            }
            while (!(p.equals(prefix) || p.startsWith(prefix + "."))) {
                prefix = prefix.contains(".") ? prefix.substring(0, prefix.lastIndexOf('.')) : "";
            }
        }
        if (prefix == null || prefix.split("\\.").length < 3 || !prefix.startsWith("dev.apiary.")) {
            throw new IllegalStateException("module " + dir + " must keep its classes under one package "
                    + "dev.apiary.<name>, found the common root '" + prefix + "'");
        }
        return prefix;
    }
}
