package io.rewardstream.status;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The newest {@link #CAPACITY} events of an instance, oldest first. Thread-safe. */
public final class EventLog {

    static final int CAPACITY = 500;

    private final Deque<StatusEvent> events = new ArrayDeque<>();

    public synchronized void add(StatusEvent event) {
        events.addLast(event);
        while (events.size() > CAPACITY) {
            events.removeFirst();
        }
    }

    public synchronized List<StatusEvent> all() {
        return List.copyOf(events);
    }
}
