package dev.apiary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README examples are found, and every shell example that calls a service is one that ReadmeExamplesIT runs. */
class ReadmeExamplesTest {

    @Test
    void everyShellExampleThatCallsTheSuiteIsMarkedToRun() throws IOException {
        List<ReadmeExamples.Block> all = ReadmeExamples.all();
        assertThat(ReadmeExamples.readmes()).contains(Suite.root().resolve("README.md"),
                Suite.root().resolve("gradebook-service/README.md"), Suite.root().resolve("pdf-service/README.md"));
        assertThat(all.stream().filter(ReadmeExamples.Block::runsAgainstTheSuite).map(b -> Suite.root().relativize(b.file()).toString()))
                .contains("README.md", "gradebook-service/README.md", "pdf-service/README.md");
        for (ReadmeExamples.Block b : all) {
            if (b.isShell() && b.code().contains("curl ")) {
                assertThat(b.runsAgainstTheSuite()).as(b.where() + " calls a service: mark it ```bash suite so that "
                        + "ReadmeExamplesIT runs it").isTrue();
            }
        }
    }

    @Test
    void blocksAreReadWithTheirInfoStringAndFirstLine(@TempDir Path dir) throws IOException {
        Path md = dir.resolve("README.md");
        Files.writeString(md, "# x\n\n```bash suite\ncurl -s $S/a\necho b\n```\n\n```\nplain\n```\n```json\n{}\n```\n");
        List<ReadmeExamples.Block> blocks = ReadmeExamples.blocks(md);
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0).runsAgainstTheSuite()).isTrue();
        assertThat(blocks.get(0).line()).isEqualTo(4);
        assertThat(blocks.get(0).code()).isEqualTo("curl -s $S/a\necho b\n");
        assertThat(blocks.get(1).code()).isEqualTo("plain\n");
        assertThat(blocks.get(1).runsAgainstTheSuite()).isFalse();
        assertThat(blocks.get(2).info()).isEqualTo("json");
    }
}
