package io.rewardstream.registry;

import org.apache.avro.Schema;

/**
 * The subset of the Confluent schema-registry REST API that the serdes and the services need.
 *
 * <p>Every method either returns a result or throws a {@link SchemaRegistryException}: a 4xx answer
 * carries the registry's error code; {@link RegistryUnavailableException} means the registry could not
 * be reached or kept failing with 5xx after all retries.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** Finds the version of the subject that holds this exact schema; 40401 or 40403 when absent. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** Returns the schema with this global id; 40403 when no such id exists. */
    Schema schemaById(int id);

    /** Returns the newest version of the subject; 40401 when the subject does not exist. */
    RegisteredSchema latest(String subject);

    /** Asks the registry whether the schema could be registered as the subject's next version. */
    boolean isCompatibleWithLatest(String subject, Schema schema);

    /**
     * Sets the subject's compatibility level (NONE, BACKWARD, FORWARD, FULL, and their _TRANSITIVE forms);
     * a null subject sets the registry-wide default.
     */
    void setCompatibility(String subject, String level);

    @Override
    default void close() {
    }
}
