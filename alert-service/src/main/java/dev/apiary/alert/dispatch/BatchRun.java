package dev.apiary.alert.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The SMS/voice deliveries of one batch run: counts settled ones down, collects those left for a later run. */
final class BatchRun {
    private final CountDownLatch left;
    private final List<Integer> pending = new ArrayList<>();
    /** The run is being stopped: deliveries in flight finish their current try and are not tried again. */
    volatile boolean stopping;

    BatchRun(int deliveries) {
        left = new CountDownLatch(deliveries);
    }

    /** {@code done}: settled (sent or final); else the delivery stays for a later run of the batch. */
    void settle(int index, boolean done) {
        if (!done) {
            synchronized (pending) {
                pending.add(index);
            }
        }
        left.countDown();
    }

    void await() throws InterruptedException {
        left.await();
    }

    List<Integer> pending() {
        synchronized (pending) {
            return new ArrayList<>(pending);
        }
    }

    /** Stops the run and waits for the deliveries in flight, keeping the interrupt. */
    void stopAndAwait() {
        stopping = true;
        boolean interrupted = false;
        while (true) {
            try {
                left.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
