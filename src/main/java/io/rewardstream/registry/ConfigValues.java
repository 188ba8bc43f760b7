package io.rewardstream.registry;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;

/** Reads typed values from a Kafka-style configuration map; a bad value fails with the key's name. */
public final class ConfigValues {

    private final Map<String, ?> values;

    public ConfigValues(Map<String, ?> values) {
        this.values = Map.copyOf(withoutNulls(values));
    }

    private static Map<String, Object> withoutNulls(Map<String, ?> source) {
        Map<String, Object> copy = new HashMap<>();
        source.forEach((key, value) -> {
            if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }

    public String string(String key, String fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Password password) {
            return password.value();
        }
        String text = value.toString().trim();
        return text.isEmpty() ? fallback : text;
    }

    public boolean bool(String key, boolean fallback) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(key, value, "expected true or false");
    }

    public long number(String key, long fallback, long min) {
        Object value = values.get(key);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "expected an integer");
        }
        if (parsed < min) {
            throw invalid(key, value, "must be at least " + min);
        }
        return parsed;
    }

    public static IllegalArgumentException invalid(String key, Object value, String why) {
        return new IllegalArgumentException("Invalid value '" + value + "' for configuration " + key + ": " + why);
    }
}
