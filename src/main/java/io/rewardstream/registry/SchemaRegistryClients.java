package io.rewardstream.registry;

import java.util.Map;

/** Builds the caching client a configuration asks for: the scope's in-memory registry or the REST one. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    public static CachingSchemaRegistryClient create(Map<String, ?> configs) {
        return create(RegistryClientConfig.from(configs));
    }

    /** Closing the returned client leaves a shared mock scope intact (its close does nothing). */
    public static CachingSchemaRegistryClient create(RegistryClientConfig config) {
        SchemaRegistryClient backend = config.isMock()
                ? MockRegistryScopes.scope(config.mockScope())
                : new RestSchemaRegistryClient(config);
        return new CachingSchemaRegistryClient(backend, config.latestCacheTtl());
    }
}
