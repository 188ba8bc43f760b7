package io.rewardstream.streams;

import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.Connection;
import io.rewardstream.deadletter.DeadLetterHandler;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one place where a role's Kafka Streams properties are assembled: the defaults every role shares
 * ({@link ConfigKeys#KAFKA_DEFAULTS}: exactly-once v2, acks=all, explicit naming), the application, cluster and
 * state directory, the dead-letter handler for undecodable records with its injected target, then the role's own
 * settings, then the user's Kafka settings, which win.
 */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    /**
     * @param roleSettings what the role sets beyond the shared defaults (a commit interval, a processing-exception
     *                     handler, ...); the user's settings in {@link Connection#kafka()} still win over them
     */
    public static Properties of(Connection connection, String applicationId, DeadLetterHandler.Target deadLetters,
                                Map<String, ?> roleSettings) {
        Properties props = base(connection, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, connection.stateDir().toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TARGET_CONFIG, deadLetters);
        props.putAll(roleSettings);
        props.putAll(connection.kafka());
        return props;
    }

    /** An admin client for the role's start-up checks, with the same cluster and security settings. */
    public static Admin admin(Connection connection, String applicationId, String clientId) {
        Properties props = base(connection, applicationId);
        props.putAll(connection.kafka());
        return Admin.create(new StreamsConfig(props).getAdminConfigs(clientId));
    }

    private static Properties base(Connection connection, String applicationId) {
        Properties props = new Properties();
        props.putAll(ConfigKeys.KAFKA_DEFAULTS);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        return props;
    }
}
