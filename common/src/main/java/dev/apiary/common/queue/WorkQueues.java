package dev.apiary.common.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Where a service declares its queues. Queues start when the application context is up (or at once when
 * declared later) and stop gracefully, all in parallel, when it shuts down.
 */
public class WorkQueues implements SmartLifecycle {

    private final StringRedisTemplate redis;
    private final String instanceName;
    private final List<WorkQueue> queues = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    public WorkQueues(StringRedisTemplate redis) {
        this(redis, WorkQueue.defaultInstanceName());
    }

    public WorkQueues(StringRedisTemplate redis, String instanceName) {
        this.redis = redis;
        this.instanceName = instanceName;
    }

    public WorkQueue declare(QueueSettings settings, WorkHandler handler) {
        WorkQueue q = new WorkQueue(redis, settings, handler, instanceName);
        queues.add(q);
        if (running) q.start();
        return q;
    }

    public String instanceName() {
        return instanceName;
    }

    @Override
    public void start() {
        running = true;
        queues.forEach(WorkQueue::start);
    }

    @Override
    public void stop() {
        running = false;
        queues.parallelStream().forEach(WorkQueue::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop queues before the web server and the Redis connection factory go away. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
