package io.rewardstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;

/** Talks to a Confluent-compatible registry over HTTP. No caching here: see {@link CachingSchemaRegistryClient}. */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private final ObjectMapper json = new ObjectMapper();
    private final RegistryHttp http;

    public RestSchemaRegistryClient(RegistryClientConfig config) {
        this.http = new RegistryHttp(config, json);
    }

    /**
     * Registers the schema. A 409 can also mean that a concurrent producer created the subject first
     * (Apicurio answers so when two registrations race, with error_code 409 or with error_code 0 and "artifact
     * version ... already exists"); if a lookup then finds the schema, its id is the answer, otherwise the 409
     * stands.
     */
    @Override
    public int register(String subject, Schema schema) {
        try {
            return http.send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema)).path("id").asInt();
        } catch (SchemaRegistryException conflict) {
            if (conflict.httpStatus() != 409) {
                throw conflict;
            }
            try {
                return lookup(subject, schema).id();
            } catch (SchemaRegistryException notThere) {
                throw conflict;
            }
        }
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        return registered(subject, http.send("POST", "/subjects/" + encode(subject), schemaBody(schema)));
    }

    @Override
    public Schema schemaById(int id) {
        return parse(http.send("GET", "/schemas/ids/" + id, null).path("schema").asText());
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registered(subject, http.send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        JsonNode answer = http.send("POST",
                "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
        return answer.path("is_compatible").asBoolean(false);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = json.createObjectNode().put("compatibility", level);
        http.send("PUT", subject == null ? "/config" : "/config/" + encode(subject), body);
    }

    private ObjectNode schemaBody(Schema schema) {
        return json.createObjectNode().put("schema", schema.toString());
    }

    private static RegisteredSchema registered(String subject, JsonNode node) {
        return new RegisteredSchema(node.path("subject").asText(subject), node.path("version").asInt(),
                node.path("id").asInt(), parse(node.path("schema").asText()));
    }

    private static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
