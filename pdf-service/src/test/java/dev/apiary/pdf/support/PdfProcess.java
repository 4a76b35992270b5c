package dev.apiary.pdf.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.apiary.common.test.ServiceProcess;

/** pdf-service as a real child process (common's {@link ServiceProcess}) on the test Redis. */
public final class PdfProcess {
    public final ServiceProcess service;
    public final Http http;

    private PdfProcess(ServiceProcess service) {
        this.service = service;
        this.http = new Http(service.port);
    }

    /** Starts an instance on its own Redis {@code database} with {@code data} as its data directory. */
    public static PdfProcess start(String name, int database, Path data, String... settings) throws IOException {
        return new PdfProcess(ServiceProcess.start(name, "dev.apiary.pdf.PdfApplication", database,
                Duration.ofSeconds(90), port -> List.of("--apiary.pdf.data-dir=" + data, "--apiary.pdf.warmup=false"),
                settings));
    }

    /** SIGKILL: no graceful release of anything. */
    public void kill() throws InterruptedException {
        service.kill();
    }
}
