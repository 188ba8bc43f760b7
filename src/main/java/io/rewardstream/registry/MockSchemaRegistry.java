package io.rewardstream.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory registry with the REST registry's semantics: one global id per distinct schema, versions
 * numbered from 1 per subject, BACKWARD compatibility by default, and the same error codes (40401,
 * 40403, 409, 42203). Thread-safe; obtain shared instances through {@link MockRegistryScopes}.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    private static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD",
            "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE");

    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, String> compatibilityBySubject = new HashMap<>();
    private String defaultCompatibility = "BACKWARD";

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.get(subject);
        Integer existing = idsByText.get(schema.toString());
        if (versions != null && existing != null && versions.contains(existing)) {
            return existing;
        }
        if (versions != null && !compatible(subject, versions, schema)) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject " + subject);
        }
        int id = existing != null ? existing : newId(schema);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        List<Integer> versions = versionsOf(subject);
        Integer id = idsByText.get(schema.toString());
        int index = id == null ? -1 : versions.indexOf(id);
        if (index < 0) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema not found under subject " + subject);
        }
        return new RegisteredSchema(subject, index + 1, id, schemasById.get(id));
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> versions = versionsOf(subject);
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), id, schemasById.get(id));
    }

    @Override
    public synchronized boolean isCompatibleWithLatest(String subject, Schema schema) {
        return compatible(subject, versionsOf(subject), schema);
    }

    @Override
    public synchronized void setCompatibility(String subject, String level) {
        String normalized = level.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(normalized)) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level " + level);
        }
        if (subject == null) {
            defaultCompatibility = normalized;
        } else {
            compatibilityBySubject.put(subject, normalized);
        }
    }

    private List<Integer> versionsOf(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found");
        }
        return versions;
    }

    private int newId(Schema schema) {
        int id = schemasById.size() + 1;
        schemasById.put(id, schema);
        idsByText.put(schema.toString(), id);
        return id;
    }

    private boolean compatible(String subject, List<Integer> versions, Schema candidate) {
        String level = compatibilityBySubject.getOrDefault(subject, defaultCompatibility);
        if (level.equals("NONE")) {
            return true;
        }
        List<Integer> checked = level.endsWith("_TRANSITIVE") ? versions : List.of(versions.get(versions.size() - 1));
        for (int id : checked) {
            Schema previous = schemasById.get(id);
            boolean backward = !level.startsWith("FORWARD") && !canRead(candidate, previous);
            boolean forward = !level.startsWith("BACKWARD") && !canRead(previous, candidate);
            if (backward || forward) {
                return false;
            }
        }
        return true;
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }
}
