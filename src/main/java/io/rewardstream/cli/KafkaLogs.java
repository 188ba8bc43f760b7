package io.rewardstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * For commands that run an embedded broker and clients on the console (the demo, the scorer benchmark): Kafka warns
 * about transient, expected states while topics are created and groups form (unknown topic on the first metadata
 * request, a state directory under the OS temp folder), which only hide the command's own lines. This raises
 * Kafka's loggers to ERROR; RewardStream's own warnings stay.
 */
final class KafkaLogs {

    private KafkaLogs() {
    }

    static void quiet() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
            context.getLogger("kafka").setLevel(Level.ERROR);
        }
    }
}
