package io.rewardstream.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory registries behind mock://scope URLs, one per scope name. This is the one piece of
 * shared state, by the ecosystem's convention: it lets a producer and a consumer configured with the
 * same URL see the same schemas. Tests use a fresh scope each, and drop it when done.
 */
public final class MockRegistryScopes {

    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private MockRegistryScopes() {
    }

    /** Returns the registry of the scope, creating it on first use. */
    public static MockSchemaRegistry scope(String name) {
        return SCOPES.computeIfAbsent(name, n -> new MockSchemaRegistry());
    }

    /** Forgets the scope and its schemas. */
    public static void drop(String name) {
        SCOPES.remove(name);
    }
}
