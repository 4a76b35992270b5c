package dev.apiary.pdf.report;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

final class JobFiles {
    private JobFiles() {
    }

    /** Deletes a directory tree, ignoring files that vanish meanwhile. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    try {
                        Files.deleteIfExists(d);
                    } catch (IOException e) {
                        // not empty: a writer added a file meanwhile; the sweeper gets it later
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException ignored) {
            // gone already
        } catch (IOException e) {
            // best effort; the retention sweeper retries
        }
    }

    /** Everything of a job except the finished file (inputs and parts: they hold personal data). */
    static void deleteWorkFiles(Path jobDir) {
        deleteTree(jobDir.resolve("input"));
        try (var files = Files.list(jobDir)) {
            files.filter(p -> p.getFileName().toString().startsWith("part-")).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // no dir
        }
    }
}
