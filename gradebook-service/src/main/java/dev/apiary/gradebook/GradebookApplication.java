package dev.apiary.gradebook;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GradebookApplication {
    public static void main(String[] args) {
        SpringApplication.run(GradebookApplication.class, args);
    }
}
