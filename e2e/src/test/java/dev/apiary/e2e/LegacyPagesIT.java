package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The legacy app's pages, rendered by headless Chromium through nginx (scripts run, links to each gradebook). */
@Order(3)
class LegacyPagesIT {
    static Suite suite;

    @BeforeAll
    static void up() {
        suite = Suite.get();
    }

    static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) return c;
        }
        return null;
    }

    static String dumpDom(String url) throws Exception {
        String bin = chromium();
        assertThat(bin).as("chromium (./apiary test installs it)").isNotNull();
        Path profile = Files.createTempDirectory("e2e-chromium");
        Process p = new ProcessBuilder(bin, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                "--virtual-time-budget=5000", "--dump-dom", url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        org.springframework.util.FileSystemUtils.deleteRecursively(profile);
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void homePageListsEverySectionWithItsGradebookLink() throws Exception {
        String dom = dumpDom(suite.baseUrl() + "/");
        assertThat(dom).contains("Report cards for Grade 7").contains("Urgent alert");
        for (int id : new int[] {101, 108, 601, 803}) {
            assertThat(dom).contains("/sections/" + id + "/open-gradebook");
        }
        assertThat(dom).contains("Grade 7 Science A");
    }

    @Test
    void alertPageOffersGradesAndSections() throws Exception {
        String dom = dumpDom(suite.baseUrl() + "/urgent-alert");
        assertThat(dom).contains("Guardians of Grade 7").contains("Guardians of Grade 7 Math B");
        String reports = dumpDom(suite.baseUrl() + "/report-cards");
        assertThat(reports).contains("Generate report cards");
    }
}
