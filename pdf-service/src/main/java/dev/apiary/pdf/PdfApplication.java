package dev.apiary.pdf;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PdfApplication {
    public static void main(String[] args) {
        // Netty (under Lettuce) registers JFR events when JFR is available, which loads the JDK's JFR metadata
        // (~170 classes, ~1 MB of heap) in a service that never records; an explicit -D still wins.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        SpringApplication.run(PdfApplication.class, args);
    }
}
