package dev.apiary.common.testapp;

import org.springframework.boot.SpringApplication;

/** Starts {@link TestApp} as its own process (start-up failures are tested on a real exit code). */
public final class TestAppMain {

    private TestAppMain() {
    }

    public static void main(String[] args) {
        SpringApplication.run(TestApp.class, args);
    }
}
