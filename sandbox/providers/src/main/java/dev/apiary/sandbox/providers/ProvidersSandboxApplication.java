package dev.apiary.sandbox.providers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ProvidersSandboxApplication {
    public static void main(String[] args) {
        SpringApplication.run(ProvidersSandboxApplication.class, args);
    }
}
