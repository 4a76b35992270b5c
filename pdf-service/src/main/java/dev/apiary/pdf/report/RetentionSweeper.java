package dev.apiary.pdf.report;

import dev.apiary.pdf.config.PdfProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Deletes job directories (finished files, leftovers) whose retention has passed, counted from submission (the
 * time is in the id), and orphans: directories older than {@code orphan-grace} whose report does not exist (an
 * instance died while the body was uploading, or before the report was created). The status hash expires in Redis
 * on its own after the retention.
 */
@Component
public class RetentionSweeper {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    private final PdfProperties props;
    private final StringRedisTemplate redis;

    public RetentionSweeper(PdfProperties props, StringRedisTemplate redis) {
        this.props = props;
        this.redis = redis;
    }

    @Scheduled(initialDelayString = "${apiary.pdf.sweep-interval:10m}", fixedDelayString = "${apiary.pdf.sweep-interval:10m}")
    public void sweepScheduled() {
        sweep(Instant.now());
    }

    /** Answers how many job directories were deleted. */
    public int sweep(Instant now) {
        Path reports = props.dataPath().resolve("reports");
        if (!Files.isDirectory(reports)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> dirs = Files.list(reports)) {
            for (Path dir : dirs.toList()) {
                String id = dir.getFileName().toString();
                if (!ReportIds.valid(id)) {
                    continue;
                }
                Instant created = ReportIds.createdAt(id);
                boolean expired = created.plus(props.retention()).isBefore(now);
                if (expired || (created.plus(props.orphanGrace()).isBefore(now) && !reportExists(id))) {
                    JobFiles.deleteTree(dir);
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("retention sweep failed: {}", e.toString());
        }
        if (deleted > 0) {
            log.info("retention sweep deleted {} expired or orphaned job director(ies)", deleted);
        }
        return deleted;
    }

    private boolean reportExists(String id) {
        return Boolean.TRUE.equals(redis.hasKey(ReportKeys.status(id)));
    }
}
