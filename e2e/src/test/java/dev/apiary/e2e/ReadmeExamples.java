package dev.apiary.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the repository's READMEs. A block whose info string is {@code bash suite} is an example
 * that talks to the running suite: {@code ReadmeExamplesIT} runs it against the suite e2e starts, with the variables
 * {@code S} (nginx) and {@code KEY} (the API key) set.
 */
record ReadmeExamples() {

    record Block(Path file, int line, String info, String code) {
        boolean runsAgainstTheSuite() {
            List<String> words = List.of(info.trim().split("\\s+"));
            return words.getFirst().equals("bash") && words.contains("suite");
        }

        boolean isShell() {
            String lang = info.trim().split("\\s+")[0];
            return lang.equals("bash") || lang.equals("sh") || lang.equals("shell");
        }

        /** README.md:42 style, relative to the repository. */
        String where() {
            return Suite.root().relativize(file) + ":" + line;
        }
    }

    private static final Set<String> NOT_DOCS = Set.of("node_modules", "target", ".git", ".apiary");

    /** Every README.md of the repository (the root's and each module's), outside build output. */
    static List<Path> readmes() throws IOException {
        try (Stream<Path> files = Files.walk(Suite.root(), 4)) {
            return files.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> NOT_DOCS.stream().noneMatch(d -> ("/" + Suite.root().relativize(p)).contains("/" + d + "/")))
                    .sorted().toList();
        }
    }

    /** The fenced blocks of one Markdown file, with the line their code starts on and their info string. */
    static List<Block> blocks(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            String info = lines.get(i).substring(3);
            int start = i + 2;   // 1-based line of the first code line
            StringBuilder code = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                code.append(lines.get(i)).append('\n');
            }
            blocks.add(new Block(file, start, info, code.toString()));
        }
        return blocks;
    }

    static List<Block> all() throws IOException {
        List<Block> all = new ArrayList<>();
        for (Path readme : readmes()) {
            all.addAll(blocks(readme));
        }
        return all;
    }
}
