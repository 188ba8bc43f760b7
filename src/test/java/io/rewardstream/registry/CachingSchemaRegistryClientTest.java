package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Cached").fields().requiredLong("n").endRecord();

    /** Counts the calls that reach the registry behind the cache. */
    private static final class Counting implements SchemaRegistryClient {
        private final MockSchemaRegistry registry = new MockSchemaRegistry();
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public int register(String subject, Schema schema) {
            calls.incrementAndGet();
            return registry.register(subject, schema);
        }

        @Override
        public RegisteredSchema lookup(String subject, Schema schema) {
            calls.incrementAndGet();
            return registry.lookup(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            calls.incrementAndGet();
            return registry.schemaById(id);
        }

        @Override
        public RegisteredSchema latest(String subject) {
            calls.incrementAndGet();
            return registry.latest(subject);
        }

        @Override
        public boolean isCompatibleWithLatest(String subject, Schema schema) {
            calls.incrementAndGet();
            return registry.isCompatibleWithLatest(subject, schema);
        }

        @Override
        public void setCompatibility(String subject, String level) {
            registry.setCompatibility(subject, level);
        }
    }

    private final Counting backend = new Counting();
    private final AtomicLong nanos = new AtomicLong();
    private final CachingSchemaRegistryClient client =
            new CachingSchemaRegistryClient(backend, Duration.ofSeconds(10), nanos::get);

    @Test
    void shouldRegisterOncePerSubjectAndSchema() {
        // When
        int first = client.register("s", SCHEMA);
        int second = client.register("s", SCHEMA);

        // Then
        assertThat(second).isEqualTo(first);
        assertThat(backend.calls).hasValue(1);
    }

    @Test
    void shouldServeSchemaByIdFromCacheAfterRegistering() {
        // Given
        int id = client.register("s", SCHEMA);

        // When
        Schema fetched = client.schemaById(id);

        // Then
        assertThat(fetched).isEqualTo(SCHEMA);
        assertThat(backend.calls).hasValue(1);
    }

    @Test
    void shouldFetchUnknownIdOnceThenServeFromCache() {
        // Given
        int id = backend.registry.register("s", SCHEMA);

        // When
        client.schemaById(id);
        client.schemaById(id);

        // Then
        assertThat(backend.calls).hasValue(1);
    }

    @Test
    void shouldRefreshLatestVersionAfterTtl() {
        // Given
        backend.registry.register("s", SCHEMA);
        client.latest("s");
        client.latest("s");
        assertThat(backend.calls).hasValue(1);

        // When
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        client.latest("s");

        // Then
        assertThat(backend.calls).hasValue(2);
    }
}
