package io.rewardstream.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.model.TextRules;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.scorer.serving.ScoringModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.rewardstream.telemetry.Telemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the hostile-input catalogue (docs/reliability.md): each class of bad request to the scoring API
 * gets a 4xx or 503 with a JSON error that says why, and the server goes on scoring the next good request.
 */
class HostileRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD = "{\"items\": [{\"prompt\": \"Hi?\", \"response\": \"Hello.\"}]}";

    private final ModelHolder holder = new ModelHolder();
    private final Telemetry telemetry = new Telemetry("hostile requests test");
    private final ScoringMetrics metrics = new ScoringMetrics(telemetry.registry(), holder);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger blocking = new AtomicInteger();
    private final RequestBatcher batcher = new RequestBatcher(new BatchScorer(holder, metrics), 1,
            Duration.ofMillis(1));
    private final HttpClient client = HttpClient.newHttpClient();
    private ScorerHttpServer server;

    private void start(HttpSettings http) {
        server = ScorerHttpServer.start(http, new ServingState() {
            @Override
            public Optional<String> notReadyReason() {
                return holder.notReadyReason();
            }

            @Override
            public Optional<ScoringModel> model() {
                return holder.current();
            }

            @Override
            public Map<String, Object> facts() {
                return Map.of();
            }
        }, batcher, telemetry, new TextRules(1_000, "input.max-text-chars"));
        holder.install(new FakeModel(1).during(() -> {
            if (blocking.get() > 0) {
                blocking.decrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
    }

    private void start() {
        start(new HttpSettings("127.0.0.1", 0, 64 * 1024, 16));
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
        batcher.close();
        holder.close();
        telemetry.close();
    }

    private HttpResponse<String> post(String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url()).resolve("/v1/score"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post(body, "application/json");
    }

    /** The error message of a refused request, after checking its status and that a good request still scores. */
    private String refused(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(post(GOOD).statusCode()).as("the next good request").isEqualTo(200);
        return error.get("message").asText();
    }

    private static String item(String prompt, String response) throws Exception {
        return "{\"items\": [{\"prompt\": " + JSON.writeValueAsString(prompt) + ", \"response\": "
                + JSON.writeValueAsString(response) + "}]}";
    }

    @Test
    void shouldRefuseMalformedJson() throws Exception {
        start();

        assertThat(refused(post("{\"items\": [{\"prompt\": \"a\",}"), 400)).startsWith("malformed JSON");
    }

    @Test
    void shouldRefuseDeeplyNestedJsonWithoutOverflowingTheStack() throws Exception {
        start();
        String nested = "[".repeat(20_000) + "]".repeat(20_000);

        assertThat(refused(post(nested), 400)).containsIgnoringCase("nesting depth");
    }

    @Test
    void shouldRefuseHugeArraysAndBodiesWith413() throws Exception {
        start();
        StringBuilder many = new StringBuilder("{\"items\": [");
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",").append("{\"prompt\": \"p\", \"response\": \"r\"}");
        }
        many.append("]}");

        assertThat(refused(post(many.toString()), 413)).contains("at most 16 per request (http.max-items)");
        assertThat(refused(post(item("p", "x".repeat(70_000))), 413)).contains("http.max-body-bytes");
    }

    @Test
    void shouldRefuseABodyThatIsNotJsonBySaysItsContentType() throws Exception {
        start();

        assertThat(refused(post(GOOD, "text/plain"), 415)).contains("Content-Type text/plain is not JSON");
        assertThat(refused(post(GOOD, "application/x-www-form-urlencoded"), 415)).contains("application/json");
        assertThat(post(GOOD, null).statusCode()).as("no Content-Type at all is read as JSON").isEqualTo(200);
    }

    @Test
    void shouldRefuseLoneSurrogatesControlCharactersAndOverlongTexts() throws Exception {
        start();

        assertThat(refused(post("{\"items\": [{\"prompt\": \"p\", \"response\": \"a\\ud800b\"}]}"), 400))
                .isEqualTo("items[0].response has a lone surrogate U+D800 at index 1: not valid UTF-16 text");
        assertThat(refused(post("{\"items\": [{\"prompt\": \"a\\u0000\", \"response\": \"r\"}]}"), 400))
                .isEqualTo("items[0].prompt has the control character U+0000 at index 1");
        assertThat(refused(post(item("p", "y".repeat(1_001))), 400))
                .isEqualTo("items[0].response has 1,001 characters; the limit is 1,000 (input.max-text-chars)");
    }

    @Test
    void shouldAnswer408ToABodyThatTricklesInSlowerThanTheReadTimeout() throws Exception {
        start(new HttpSettings("127.0.0.1", 0, 64 * 1024, 16).withTimeouts(Duration.ofSeconds(30),
                Duration.ofMillis(500), Duration.ofSeconds(30)));
        byte[] body = GOOD.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/score HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body trickles in, a byte every 100 ms: whole, it would take seconds, past the read timeout.
            AtomicInteger sent = new AtomicInteger();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                if (i < body.length) {
                    try {
                        out.write(body[i]);
                        out.flush();
                    } catch (IOException e) {
                        trickle.shutdown();
                    }
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            try {
                String answer = readAnswer(socket.getInputStream());

                assertThat(answer).startsWith("HTTP/1.1 408").contains("http.read-timeout");
                assertThat(sent.get()).isLessThan(body.length);
            } finally {
                trickle.shutdownNow();
            }
        }
        assertThat(post(GOOD).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer503WithRetryAfterBeyondTheConcurrencyLimit() throws Exception {
        // Given a limit of two requests in progress, and two held inside the model
        start(new HttpSettings("127.0.0.1", 0, 64 * 1024, 16).withConcurrency(64, 2));
        blocking.set(1);
        List<CompletableFuture<HttpResponse<String>>> held = List.of(
                client.sendAsync(request(GOOD), HttpResponse.BodyHandlers.ofString()),
                client.sendAsync(request(GOOD), HttpResponse.BodyHandlers.ofString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> blocking.get() == 0);

        // When a third arrives
        HttpResponse<String> third = post(GOOD);

        // Then it is refused with a reason and a retry hint, and the held ones finish once the model is free
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(third.body()).contains("http.max-concurrent-requests");
        release.countDown();
        for (var request : held) {
            assertThat(request.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(post(GOOD).statusCode()).isEqualTo(200);
    }

    private HttpRequest request(String body) {
        return HttpRequest.newBuilder(URI.create(server.url()).resolve("/v1/score"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String readAnswer(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            if (out.toString(StandardCharsets.UTF_8).contains("\"error\"")
                    && out.toString(StandardCharsets.UTF_8).trim().endsWith("}")) {
                break;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
