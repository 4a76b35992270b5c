import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Run by `./apiary test` after Maven: reads the JUnit XML reports (surefire and failsafe) that this run wrote,
 * prints every skipped test with its reason, and fails when a test other than a Docker-only one was skipped — a
 * skip would hide a regression. Ends with the totals of the whole run.
 *
 *   java scripts/SkippedTests.java ROOT STARTED_EPOCH_SECONDS
 */
public class SkippedTests {

    /** The only tests allowed to be skipped: they need Docker, which the development and CI machines do not have. */
    static final Map<String, String> DOCKER_ONLY = Map.of(
            "dev.apiary.e2e.ComposeFileTest#dockerComposeConfigWhenACliIsThere",
            "runs `docker compose config`, which needs the Docker CLI");

    record Case(String id, String skipReason, boolean failed) {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long startedMillis = Long.parseLong(args[1]) * 1000;
        List<Path> reports = reports(root, startedMillis);
        List<Case> cases = new ArrayList<>();
        for (Path report : reports) {
            NodeList testcases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                    .getElementsByTagName("testcase");
            for (int i = 0; i < testcases.getLength(); i++) {
                Element c = (Element) testcases.item(i);
                NodeList skipped = c.getElementsByTagName("skipped");
                String reason = skipped.getLength() == 0 ? null : reason((Element) skipped.item(0));
                boolean failed = c.getElementsByTagName("failure").getLength() > 0
                        || c.getElementsByTagName("error").getLength() > 0;
                cases.add(new Case(c.getAttribute("classname") + "#" + c.getAttribute("name"), reason, failed));
            }
        }
        if (cases.isEmpty()) {
            System.err.println("[apiary] no test report was written by this run: no test ran");
            System.exit(1);
        }
        int forbidden = 0;
        for (Case c : cases) {
            if (c.skipReason() == null) {
                continue;
            }
            String docker = dockerOnly(c.id());
            if (docker != null) {
                System.err.println("[apiary] skipped (allowed, Docker only: " + docker + "): " + c.id() + ": " + c.skipReason());
            } else {
                forbidden++;
                System.err.println("[apiary] SKIPPED, which fails the run: " + c.id() + ": " + c.skipReason());
            }
        }
        long skipped = cases.stream().filter(c -> c.skipReason() != null).count();
        long failed = cases.stream().filter(Case::failed).count();
        if (forbidden > 0) {
            System.err.println("[apiary] " + forbidden + " test(s) skipped: only the Docker-only tests named in "
                    + "scripts/SkippedTests.java may be skipped; fix what the test needs instead");
        }
        System.out.println("apiary: " + (cases.size() - skipped - failed) + " passed, " + failed + " failed, "
                + skipped + " skipped");
        System.exit(forbidden > 0 || failed > 0 ? 1 : 0);
    }

    /** The skip's message, else the first line of its stack trace (JUnit's "Assumption failed: ..."). */
    static String reason(Element skipped) {
        String message = skipped.getAttribute("message");
        if (!message.isBlank()) {
            return message;
        }
        String first = skipped.getTextContent().strip().lines().findFirst().orElse("(no reason given)");
        return first.replaceFirst("^org\\.opentest4j\\.TestAbortedException: ", "");
    }

    static String dockerOnly(String id) {
        for (var e : DOCKER_ONLY.entrySet()) {
            String key = e.getKey();
            if (id.equals(key) || id.startsWith(key + "(") || id.startsWith(key + "[")) {
                return e.getValue();
            }
        }
        return null;
    }

    /** TEST-*.xml under any module's target/surefire-reports or target/failsafe-reports, written since the start. */
    static List<Path> reports(Path root, long startedMillis) throws IOException {
        Set<String> skip = Set.of(".git", ".apiary", "node_modules", "src", "ui", "docs", "bench");
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return skip.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().matches("TEST-.*\\.xml")
                        && file.getParent().getFileName().toString().matches("(surefire|failsafe)-reports")
                        && attrs.lastModifiedTime().toMillis() >= startedMillis) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found.stream().sorted().toList();
    }
}
