package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestSchemaRegistryClientTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Rest").namespace("t").fields()
            .requiredString("id").endRecord();
    private static final String SCHEMA_JSON = "{\"schema\":" + quote(SCHEMA.toString());

    private record Answer(int status, String body) {
    }

    private record Seen(String method, String path, String authorization, String contentType, String body) {
    }

    private HttpServer server;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private Answer fallback = new Answer(500, "{\"error_code\":50001,\"message\":\"unscripted\"}");

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Answer answer = script.isEmpty() ? fallback : script.poll();
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    private RestSchemaRegistryClient client(Map<String, String> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(RegistryClientConfig.URL, baseUrl(),
                RegistryClientConfig.MAX_RETRIES, "3", RegistryClientConfig.RETRIES_WAIT_MS, "1",
                RegistryClientConfig.RETRIES_MAX_WAIT_MS, "4"));
        config.putAll(extra);
        return new RestSchemaRegistryClient(RegistryClientConfig.from(config));
    }

    @Test
    void shouldRetryOn503UntilTheRegistryAnswers() {
        // Given
        script.add(new Answer(503, "{\"error_code\":50003,\"message\":\"busy\"}"));
        script.add(new Answer(503, "busy"));
        script.add(new Answer(200, "{\"id\":7}"));

        // When
        int id = client(Map.of()).register("x-value", SCHEMA);

        // Then
        assertThat(id).isEqualTo(7);
        assertThat(seen).hasSize(3);
    }

    @Test
    void shouldGiveUpWithUnavailableAfterMaxRetries() {
        // Given
        fallback = new Answer(503, "busy");

        // When / Then
        assertThatThrownBy(() -> client(Map.of()).schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("4 attempts");
        assertThat(seen).hasSize(4);
    }

    @ParameterizedTest
    @CsvSource({"404, 40401, Subject not found", "404, 40403, Schema not found",
        "422, 42201, Invalid schema", "401, 401, Unauthorized"})
    void shouldFailFastOn4xxWithTheRegistryErrorCode(int status, int code, String message) {
        // Given
        script.add(new Answer(status, "{\"error_code\":" + code + ",\"message\":\"" + message + "\"}"));

        // When / Then
        assertThatThrownBy(() -> client(Map.of()).register("x-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.getMessage()).contains(message);
                });
        assertThat(seen).hasSize(1);
    }

    @Test
    void shouldKeep409WhenTheSchemaIsNotInTheSubject() {
        // Given
        script.add(new Answer(409, "{\"error_code\":409,\"message\":\"Incompatible schema\"}"));
        script.add(new Answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));

        // When / Then
        assertThatThrownBy(() -> client(Map.of()).register("x-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(409));
        assertThat(seen).extracting(Seen::method).containsExactly("POST", "POST");
    }

    @Test
    void shouldReturnExistingIdWhenAConcurrentRegistrationWon() {
        // Given the registry reports a conflict because another producer created the subject first
        script.add(new Answer(409, "{\"error_code\":409,\"message\":\"already exists\"}"));
        script.add(new Answer(200, "{\"subject\":\"x-value\",\"version\":1,\"id\":12,\"schema\":"
                + quote(SCHEMA.toString()) + "}"));

        // When
        int id = client(Map.of()).register("x-value", SCHEMA);

        // Then
        assertThat(id).isEqualTo(12);
    }

    @Test
    void shouldReturnExistingIdWhenApicurioReportsTheRaceWithErrorCodeZero() {
        // Given Apicurio's answer to two registrations of a new subject racing (seen in CI)
        script.add(new Answer(409, "{\"error_code\":0,\"message\":\"An artifact version 'null' for artifact ID"
                + " 'x-value' in group 'null' already exists.\"}"));
        script.add(new Answer(200, "{\"subject\":\"x-value\",\"version\":1,\"id\":7,\"schema\":"
                + quote(SCHEMA.toString()) + "}"));

        // When
        int id = client(Map.of()).register("x-value", SCHEMA);

        // Then
        assertThat(id).isEqualTo(7);
        assertThat(seen).extracting(Seen::method).containsExactly("POST", "POST");
    }

    @Test
    void shouldRetryWhenTheConnectionIsRefused() throws IOException {
        // Given a port nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "http://127.0.0.1:" + port,
                RegistryClientConfig.MAX_RETRIES, "2", RegistryClientConfig.RETRIES_WAIT_MS, "1")));

        // When / Then
        assertThatThrownBy(() -> client.latest("x-value"))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("3 attempts");
    }

    @Test
    void shouldSendBasicAuthCredentials() {
        // Given
        script.add(new Answer(200, "{\"id\":1}"));

        // When
        client(Map.of("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "u:p"))
                .register("x-value", SCHEMA);

        // Then
        assertThat(seen.get(0).authorization()).isEqualTo("Basic dTpw");
    }

    @Test
    void shouldSendBearerToken() {
        // Given
        script.add(new Answer(200, "{\"id\":1}"));

        // When
        client(Map.of("bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "abc"))
                .register("x-value", SCHEMA);

        // Then
        assertThat(seen.get(0).authorization()).isEqualTo("Bearer abc");
    }

    @Test
    void shouldCallTheConfluentEndpoints() {
        // Given
        String versionBody = "{\"subject\":\"x-value\",\"version\":2,\"id\":5,\"schema\":" + quote(SCHEMA.toString()) + "}";
        script.add(new Answer(200, "{\"id\":5}"));
        script.add(new Answer(200, versionBody));
        script.add(new Answer(200, "{\"schema\":" + quote(SCHEMA.toString()) + "}"));
        script.add(new Answer(200, versionBody));
        script.add(new Answer(200, "{\"is_compatible\":true}"));
        script.add(new Answer(200, "{\"compatibility\":\"BACKWARD\"}"));
        RestSchemaRegistryClient client = client(Map.of());

        // When
        int id = client.register("x-value", SCHEMA);
        RegisteredSchema found = client.lookup("x-value", SCHEMA);
        Schema byId = client.schemaById(5);
        RegisteredSchema latest = client.latest("x-value");
        boolean compatible = client.isCompatibleWithLatest("x-value", SCHEMA);
        client.setCompatibility("x-value", "BACKWARD");

        // Then
        assertThat(id).isEqualTo(5);
        assertThat(found).isEqualTo(new RegisteredSchema("x-value", 2, 5, SCHEMA));
        assertThat(byId).isEqualTo(SCHEMA);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(compatible).isTrue();
        assertThat(seen).extracting(s -> s.method() + " " + s.path()).containsExactly(
                "POST /apis/ccompat/v7/subjects/x-value/versions",
                "POST /apis/ccompat/v7/subjects/x-value",
                "GET /apis/ccompat/v7/schemas/ids/5",
                "GET /apis/ccompat/v7/subjects/x-value/versions/latest",
                "POST /apis/ccompat/v7/compatibility/subjects/x-value/versions/latest",
                "PUT /apis/ccompat/v7/config/x-value");
        assertThat(seen.get(0).body()).startsWith(SCHEMA_JSON);
        assertThat(seen.get(0).contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
