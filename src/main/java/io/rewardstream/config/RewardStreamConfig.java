package io.rewardstream.config;

import java.util.Map;
import java.util.Properties;

/**
 * Everything a role needs at start-up, parsed and validated.
 *
 * @param kafka             Kafka Streams and client settings (application.id, bootstrap.servers, state.dir,
 *                          processing.guarantee, ...)
 * @param schemaRegistryUrl the registry's base URL, or mock://scope
 * @param createPartitions  partitions of topics made with --create-topics (topics.partitions)
 */
public record RewardStreamConfig(Topics topics, TrainerSettings trainer, EncoderSettings encoder,
                                 Map<String, Object> kafka, String schemaRegistryUrl, int createPartitions) {

    public RewardStreamConfig {
        kafka = Map.copyOf(kafka);
    }

    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        return props;
    }
}
