package io.rewardstream.serde;

import io.rewardstream.registry.RegistryUnavailableException;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * One DatumReader per writer schema id, resolving the writer's schema to the reader's: the target class's
 * schema, the generated class named by the writer (specific.avro.reader), or the writer's own schema for
 * GenericRecord. Whether the two schemas resolve is checked once per id, not per record.
 */
final class ReaderCache {

    private final SchemaRegistryClient client;
    private final Class<?> targetType;
    private final boolean specificByWriterName;
    private final Map<Integer, DatumReader<Object>> readersById = new ConcurrentHashMap<>();

    ReaderCache(SchemaRegistryClient client, Class<?> targetType, boolean specificByWriterName) {
        this.client = client;
        this.targetType = targetType;
        this.specificByWriterName = specificByWriterName;
    }

    DatumReader<Object> forId(String topic, int id) {
        DatumReader<Object> cached = readersById.get(id);
        if (cached != null) {
            return cached;
        }
        DatumReader<Object> created = create(topic, id, writerSchema(topic, id));
        DatumReader<Object> raced = readersById.putIfAbsent(id, created);
        return raced != null ? raced : created;
    }

    private Schema writerSchema(String topic, int id) {
        try {
            return client.schemaById(id);
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            throw fault(topic, id, (e.isNotFound() ? "unknown schema id: " : "registry refused the schema: ")
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw fault(topic, id, "registry returned an unreadable schema: " + e, e);
        }
    }

    private DatumReader<Object> create(String topic, int id, Schema writer) {
        Class<?> type = targetType;
        if (type == null && specificByWriterName) {
            type = SpecificData.get().getClass(writer);
            if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
                throw fault(topic, id, "no generated class for writer schema " + writer.getFullName()
                        + " (specific.avro.reader is set)", null);
            }
        }
        if (type == null) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        SchemaCompatibility.SchemaPairCompatibility check =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw fault(topic, id, "writer schema " + writer.getFullName() + " cannot be resolved to reader schema "
                    + reader.getFullName() + ": " + check.getResult().getIncompatibilities(), null);
        }
        // The same schema on both sides (the usual case) reads without any resolution work.
        return new SpecificDatumReader<>(writer.equals(reader) ? reader : writer, reader, model);
    }

    static SerializationException fault(String topic, int id, String what, Throwable cause) {
        return new SerializationException("Cannot deserialize record from topic '" + topic + "' with schema id "
                + id + ": " + what, cause);
    }
}
