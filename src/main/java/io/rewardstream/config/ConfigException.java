package io.rewardstream.config;

import io.rewardstream.training.BadInputException;

/** Builds the error for a configuration key that is unknown or has a wrong value; the message names the key. */
public final class ConfigException {

    private ConfigException() {
    }

    public static BadInputException of(String key, String message) {
        return new BadInputException("configuration key '" + key + "' " + message);
    }
}
