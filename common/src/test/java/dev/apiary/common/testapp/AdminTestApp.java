package dev.apiary.common.testapp;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The test app with the clients the admin tests use (one context for all of them): {@code ops} (dev mode: key
 * {@code dev-ops-key}, every school, scope admin), {@code lakeview-ops} (admin for one school) and {@code reader}
 * (every school, no admin scope).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "apiary.security.clients.lakeview-ops.key=lakeview-ops-key",
        "apiary.security.clients.lakeview-ops.schools=lakeview",
        "apiary.security.clients.lakeview-ops.scopes=admin",
        "apiary.security.clients.reader.key=reader-key",
        "apiary.security.clients.reader.schools=*"})
@interface AdminTestApp {
}
