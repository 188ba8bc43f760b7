package io.rewardstream.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The project's own configuration keys with their layered values, read as typed values. A value that does not
 * parse fails with a {@link ConfigException} naming the key, and the spelling the user wrote when that was a
 * deprecated one.
 */
public final class KeyValues {

    private final Map<String, String> values;
    private final Map<String, String> writtenAs;

    KeyValues(Map<String, String> values, Map<String, String> writtenAs) {
        this.values = Map.copyOf(values);
        this.writtenAs = Map.copyOf(writtenAs);
    }

    /** Every key at its built-in default. */
    public static KeyValues defaults() {
        return new KeyValues(ConfigKeys.DEFAULTS, Map.of());
    }

    /** The same values with {@code key} set to {@code value} (a command-line option that wins over the rest). */
    public KeyValues with(String key, String value) {
        known(key);
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        Map<String, String> spellings = new LinkedHashMap<>(writtenAs);
        spellings.remove(key);
        return new KeyValues(copy, spellings);
    }

    /** Every key with its value, including the {@code registry.*} client settings. */
    public Map<String, String> asMap() {
        return values;
    }

    public String string(String key) {
        return known(key);
    }

    public int integer(String key) {
        String value = known(key);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw error(key, "has value '" + value + "', not an integer");
        }
    }

    public double decimal(String key) {
        String value = known(key);
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw error(key, "has value '" + value + "', not a number");
        }
    }

    public boolean bool(String key) {
        String value = known(key).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw error(key, "has value '" + known(key) + "', not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    public Duration duration(String key) {
        try {
            return Durations.parse(key, known(key));
        } catch (ConfigException e) {
            throw spelled(e);
        }
    }

    /**
     * The value of {@code key} read by {@code parser}; an {@link IllegalArgumentException} from it becomes an error
     * naming the key: "has value 'x', {@code what}".
     */
    public <T> T parsed(String key, Function<String, T> parser, String what) {
        String value = known(key);
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw error(key, "has value '" + value + "', " + what);
        }
    }

    /** An error about {@code key}, naming the spelling the user wrote it in. */
    public ConfigException error(String key, String problem) {
        return spelled(new ConfigException(key, problem));
    }

    /** {@code e} with the spelling the user wrote its key in, when that was a deprecated one. */
    public ConfigException spelled(ConfigException e) {
        String spelling = writtenAs.get(e.key());
        return spelling == null ? e : e.writtenAs(spelling);
    }

    private String known(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("unknown configuration key " + key);
        }
        return value;
    }
}
