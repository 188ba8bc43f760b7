package io.rewardstream.registry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * Remembers what the registry said: schemas by id, ids by (subject, schema) and, for a limited time,
 * the latest version of each subject. Ids and schemas never change once assigned, so those entries live
 * as long as the client; the cache is what lets serdes keep working while the registry is away.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<String, Timed> latestBySubject = new ConcurrentHashMap<>();
    private final long latestTtlNanos;
    private final LongSupplier nanoClock;

    private record Timed(RegisteredSchema value, long fetchedAt) {
    }

    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl) {
        this(delegate, latestTtl, System::nanoTime);
    }

    CachingSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl, LongSupplier nanoClock) {
        this.delegate = delegate;
        this.latestTtlNanos = latestTtl.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        int id = delegate.register(subject, schema);
        remember(subject, schema, id);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        RegisteredSchema found = delegate.lookup(subject, schema);
        remember(subject, schema, found.id());
        return found;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema fetched = delegate.schemaById(id);
        Schema raced = schemasById.putIfAbsent(id, fetched);
        return raced != null ? raced : fetched;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        Timed cached = latestBySubject.get(subject);
        long now = nanoClock.getAsLong();
        if (cached != null && now - cached.fetchedAt() < latestTtlNanos) {
            return cached.value();
        }
        RegisteredSchema fresh = delegate.latest(subject);
        latestBySubject.put(subject, new Timed(fresh, now));
        remember(subject, fresh.schema(), fresh.id());
        return fresh;
    }

    @Override
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        return delegate.isCompatibleWithLatest(subject, schema);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        delegate.setCompatibility(subject, level);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private Integer cachedId(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private void remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).putIfAbsent(schema, id);
        schemasById.putIfAbsent(id, schema);
    }
}
