package io.rewardstream.streams;

import io.rewardstream.common.BadInputException;
import io.rewardstream.config.Connection;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.lifecycle.StartupRetry;
import io.rewardstream.registry.RegistryUnavailableException;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * What a role checks before it builds its Kafka Streams client: that the cluster answers and its topics exist, and
 * that the schema registry answers. An unreachable cluster or registry is waited for ({@link StartupRetry}: a warning
 * per attempt, readiness saying why), so that the role's HTTP port, opened first, can tell an orchestrator what is
 * wrong; missing topics and refused credentials fail at once, naming what to fix.
 */
public final class StartupChecks {

    /** Longest one attempt to reach the cluster may take. */
    static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(10);

    private StartupChecks() {
    }

    /**
     * Waits for the cluster, then checks (or creates) {@code required} as {@link TopicCheck#ensure} does.
     *
     * @throws StartupRetry.Stopped when {@code health} is asked to stop first
     * @throws BadInputException    when topics are missing and {@code create} is not set
     */
    public static void topics(Health health, StartupRetry retry, Connection connection, String applicationId,
                              List<TopicCheck.Required> required, boolean create, int partitions) {
        retry.until(health, "Kafka at " + connection.bootstrapServers(), () -> {
            try (Admin admin = StreamsProperties.admin(connection, applicationId, applicationId + "-topic-check")) {
                answers(admin);
                return TopicCheck.ensure(admin, required, create, partitions);
            }
        }, StartupChecks::kafkaMayRecover);
    }

    /**
     * Waits for the schema registry to answer a request about {@code subject} (a subject not found is an answer).
     *
     * @throws StartupRetry.Stopped     when {@code health} is asked to stop first
     * @throws SchemaRegistryException when the registry refuses the request (credentials, permissions)
     */
    public static void registry(Health health, StartupRetry retry, SchemaRegistryClient client, String url,
                                String subject) {
        retry.until(health, "the schema registry at " + url, () -> {
            try {
                client.latest(subject);
            } catch (SchemaRegistryException e) {
                if (e instanceof RegistryUnavailableException || !e.isNotFound()) {
                    throw e;
                }
            }
            return subject;
        }, e -> e instanceof RegistryUnavailableException);
    }

    private static void answers(Admin admin) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CLUSTER_TIMEOUT.toMillis()))
                    .clusterId().get(CLUSTER_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no answer within " + CLUSTER_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** Anything but a missing topic or refused credentials may pass once the cluster is up. */
    static boolean kafkaMayRecover(RuntimeException e) {
        if (e instanceof BadInputException) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return false;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return true;
    }
}
