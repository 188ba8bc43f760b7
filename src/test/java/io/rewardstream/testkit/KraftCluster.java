package io.rewardstream.testkit;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.awaitility.Awaitility;

/**
 * A real single-node KRaft cluster (combined broker and controller) in this JVM, for integration tests.
 * Replication factors of internal topics are 1, as one broker requires.
 */
public final class KraftCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;

    private KraftCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    public static KraftCluster start() throws Exception {
        return start(SecurityProtocol.PLAINTEXT);
    }

    /**
     * A cluster whose client listener authenticates with SASL PLAIN ({@link #saslClient} holds a user's settings);
     * the test kit writes the broker's JAAS file, with the users {@code plain-admin} and {@code plain-user1}.
     */
    public static KraftCluster startWithSasl() throws Exception {
        return start(SecurityProtocol.SASL_PLAINTEXT);
    }

    /** Client settings of the user {@code plain-user1} (password {@code plain-user1-secret}) over SASL PLAIN. */
    public static Map<String, Object> saslClient(String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"plain-user1\" password=\""
                        + password + "\";");
    }

    private static KraftCluster start(SecurityProtocol protocol) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(protocol)
                .setControllerSecurityProtocol(protocol)
                .build();
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                // With SASL the test kit also turns on the ACL authorizer and denies what no ACL allows; these tests are
                // about authentication, so an authenticated user may do what no ACL forbids.
                .setConfigProp("allow.everyone.if.no.acl.found", String.valueOf(protocol != SecurityProtocol.PLAINTEXT))
                .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KraftCluster(kit);
        } catch (Exception e) {
            kit.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public Admin admin() {
        return kit.admin();
    }

    /** Creates topics with one replica and the given partition counts. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(partitionsByTopic.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1)).toList()).all().get();
            // The controller has them; wait until the broker's metadata lists them too, or a client asking at once
            // (a role's start-up topic check) can still be told they are missing.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> admin.listTopics().names().get().containsAll(partitionsByTopic.keySet()));
        }
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
