package io.rewardstream.serde;

import io.rewardstream.registry.ConfigValues;
import io.rewardstream.registry.SubjectNameStrategy;
import java.util.Map;

/**
 * Serde behaviour, under Confluent's key names.
 *
 * @param autoRegister     register the record's schema on first use (auto.register.schemas, default true)
 * @param useLatestVersion write with the subject's latest version instead of looking the record's schema up
 *                         (use.latest.version, default false); the two schemas must be identical
 * @param specificReader   decode into the generated class named by the writer's schema when no target
 *                         class is given (specific.avro.reader, default false: GenericRecord)
 */
public record AvroSerdeConfig(boolean autoRegister, boolean useLatestVersion, SubjectNameStrategy keyStrategy,
                              SubjectNameStrategy valueStrategy, boolean specificReader) {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

    public static AvroSerdeConfig defaults() {
        return new AvroSerdeConfig(true, false, SubjectNameStrategy.TOPIC_NAME, SubjectNameStrategy.TOPIC_NAME, false);
    }

    public static AvroSerdeConfig from(Map<String, ?> configs) {
        ConfigValues values = new ConfigValues(configs);
        return new AvroSerdeConfig(
                values.bool(AUTO_REGISTER_SCHEMAS, true),
                values.bool(USE_LATEST_VERSION, false),
                strategy(values, KEY_SUBJECT_NAME_STRATEGY),
                strategy(values, VALUE_SUBJECT_NAME_STRATEGY),
                values.bool(SPECIFIC_AVRO_READER, false));
    }

    public SubjectNameStrategy strategy(boolean isKey) {
        return isKey ? keyStrategy : valueStrategy;
    }

    public AvroSerdeConfig withAutoRegister(boolean enabled) {
        return new AvroSerdeConfig(enabled, useLatestVersion, keyStrategy, valueStrategy, specificReader);
    }

    public AvroSerdeConfig withUseLatestVersion(boolean enabled) {
        return new AvroSerdeConfig(autoRegister, enabled, keyStrategy, valueStrategy, specificReader);
    }

    public AvroSerdeConfig withValueStrategy(SubjectNameStrategy strategy) {
        return new AvroSerdeConfig(autoRegister, useLatestVersion, keyStrategy, strategy, specificReader);
    }

    public AvroSerdeConfig withSpecificReader(boolean enabled) {
        return new AvroSerdeConfig(autoRegister, useLatestVersion, keyStrategy, valueStrategy, enabled);
    }

    private static SubjectNameStrategy strategy(ConfigValues values, String key) {
        String name = values.string(key, null);
        return name == null ? SubjectNameStrategy.TOPIC_NAME : SubjectNameStrategy.parse(key, name);
    }
}
