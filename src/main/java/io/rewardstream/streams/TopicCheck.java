package io.rewardstream.streams;

import io.rewardstream.common.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up that the topics a role uses exist. Missing ones fail start-up, naming them, or are
 * created when asked: with the configured partitions and the broker's default replication factor; compacted
 * topics (the models topic, keyed by model name) get one partition and cleanup.policy=compact.
 */
public final class TopicCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCheck.class);

    /** A topic a role needs. */
    public record Required(String name, boolean compacted) {
    }

    private TopicCheck() {
    }

    /** @return the topics created (empty when all existed) */
    public static List<String> ensure(Admin admin, List<Required> required, boolean create, int partitions) {
        Set<String> existing = listed(admin);
        List<Required> missing = required.stream().filter(t -> !existing.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        List<String> names = missing.stream().map(Required::name).toList();
        if (!create) {
            throw new BadInputException("missing topics: " + String.join(", ", names)
                    + " (create them, or start with --create-topics)");
        }
        List<NewTopic> topics = new ArrayList<>();
        for (Required topic : missing) {
            NewTopic t = new NewTopic(topic.name(), Optional.of(topic.compacted() ? 1 : partitions), Optional.empty());
            if (topic.compacted()) {
                t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(t);
        }
        try {
            // Each topic on its own: another instance may have created one meanwhile, and all() would return at that
            // first TopicExistsException, before the other creations are done.
            for (var created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + created.getKey() + ": "
                                + e.getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics " + names, e);
        }
        awaitListed(admin, names);
        LOG.info("Created topics {}", names);
        return names;
    }

    /**
     * A creation is complete once the controller has it; the broker a client asks next may learn of it a moment
     * later. Returning only once the topics are listed keeps a Streams client started right after from finding
     * its source topics missing.
     */
    private static void awaitListed(Admin admin, List<String> names) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long pauseMs = 20;
        while (true) {
            Set<String> listed = listed(admin);
            List<String> absent = names.stream().filter(n -> !listed.contains(n)).toList();
            if (absent.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics created but still not listed after 60 s: " + absent);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + names, e);
            }
            pauseMs = Math.min(pauseMs * 2, 1_000);
        }
    }

    private static Set<String> listed(Admin admin) {
        try {
            return admin.listTopics().names().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        }
    }
}
