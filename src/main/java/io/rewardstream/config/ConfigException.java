package io.rewardstream.config;

import io.rewardstream.common.BadInputException;

/**
 * A configuration key that is unknown or has a wrong value. The message names the key (and the spelling the user
 * wrote, when that was a deprecated one); {@link #key()} carries it for callers that add context.
 */
public final class ConfigException extends BadInputException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    /** @param problem what is wrong, written to follow the key: "must be at least 1", "is unknown", ... */
    public ConfigException(String key, String problem) {
        this(key, problem, key);
    }

    private ConfigException(String key, String problem, String writtenAs) {
        super("configuration key '" + key + "'" + (writtenAs.equals(key) ? ""
                : " (written as " + writtenAs + ", a deprecated spelling)") + " " + problem);
        this.key = key;
        this.problem = problem;
    }

    public String key() {
        return key;
    }

    /** The same error, saying the user wrote the key as {@code writtenAs}. */
    public ConfigException writtenAs(String writtenAs) {
        return new ConfigException(key, problem, writtenAs);
    }
}
