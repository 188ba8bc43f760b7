package io.rewardstream.registry;

import java.util.Locale;
import org.apache.avro.Schema;

/** Chooses the registry subject for a record, with the same rules as Confluent's strategies. */
public enum SubjectNameStrategy {

    /** {@code <topic>-key} or {@code <topic>-value}: one schema lineage per topic (the default). */
    TOPIC_NAME("TopicNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one lineage per record type, shared by every topic. */
    RECORD_NAME("RecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return recordName(schema);
        }
    },
    /** {@code <topic>-<record full name>}: several record types on one topic, each with its own lineage. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + recordName(schema);
        }
    };

    private final String confluentName;

    SubjectNameStrategy(String confluentName) {
        this.confluentName = confluentName;
    }

    public abstract String subject(String topic, boolean isKey, Schema schema);

    /**
     * Accepts Confluent's class names (io.confluent.kafka.serializers.subject.TopicNameStrategy), their
     * simple names, or the constant names here.
     */
    public static SubjectNameStrategy parse(String configKey, String value) {
        String simple = value.substring(value.lastIndexOf('.') + 1);
        for (SubjectNameStrategy strategy : values()) {
            if (strategy.confluentName.equals(simple) || strategy.name().equals(simple.toUpperCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw ConfigValues.invalid(configKey, value,
                "expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    }

    private static String recordName(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("Record-name subject strategies need a record schema, got "
                    + schema.getType());
        }
        return schema.getFullName();
    }
}
