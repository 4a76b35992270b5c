package dev.apiary.common.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A {@link StringRedisTemplate} on {@link RedisTestServer#shared()} for a test class without a Spring context:
 * connected before the class, closed after it.
 * <pre>{@code
 * @RegisterExtension
 * static final SharedRedisTemplate REDIS = new SharedRedisTemplate();
 * final StringRedisTemplate redis = REDIS.template();
 * }</pre>
 */
public final class SharedRedisTemplate implements BeforeAllCallback, AfterAllCallback {
    private final int database;
    private LettuceConnectionFactory factory;
    private StringRedisTemplate template;

    /** On database 0. */
    public SharedRedisTemplate() {
        this(0);
    }

    /** On a database of its own, e.g. the one a {@link ServiceProcess} of the test uses. */
    public SharedRedisTemplate(int database) {
        this.database = database;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        RedisTestServer server = RedisTestServer.shared();
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(server.host(), server.port());
        config.setDatabase(database);
        factory = new LettuceConnectionFactory(config);
        factory.afterPropertiesSet();
        factory.start();
        template = new StringRedisTemplate(factory);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        factory.destroy();
    }

    /** Empties the template's database (only a test that has a database of its own may). */
    public void flushDb() {
        template().execute((RedisCallback<Void>) c -> {
            c.serverCommands().flushDb();
            return null;
        });
    }

    /** The template; from the test instances on (the class's extensions run first). */
    public StringRedisTemplate template() {
        if (template == null) {
            throw new IllegalStateException("not connected: register with @RegisterExtension on a static field");
        }
        return template;
    }
}
