package dev.apiary.sandbox.legacy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LegacySandboxApplication {
    public static void main(String[] args) {
        SpringApplication.run(LegacySandboxApplication.class, args);
    }
}
