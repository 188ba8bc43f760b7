package io.rewardstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpPortTest {

    private static final int LIMIT = 64 * 1024;

    private final List<CompletableFuture<Void>> waiting = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private HttpPort port;

    private HttpPort start(HttpSettings settings) {
        port = HttpPort.start(settings, 4, "test-http", List.of(
                new Route("GET", "/hello", exchange -> Exchanges.sendJson(exchange, 200, Map.of("hello", "world"))),
                new Route("POST", "/echo", exchange -> Exchanges.sendJson(exchange, 200,
                        Map.of("bytes", Exchanges.readJson(exchange, LIMIT).toString().length()))),
                new Route("POST", "/refuse", exchange -> {
                    throw new HttpProblem(429, "too many", 7);
                }),
                new Route("POST", "/broken", exchange -> {
                    throw new IllegalArgumentException("a bug");
                }),
                new Route("POST", "/wait", exchange -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    waiting.add(done);
                    exchange.answerLater(done.thenRun(() -> Exchanges.sendJson(exchange, 200, Map.of("done", true))));
                })));
        return port;
    }

    private HttpSettings settings() {
        return HttpSettings.defaults().withAddress("127.0.0.1", 0);
    }

    private Socket socket() throws IOException {
        Socket socket = RawHttp.connect(port.port());
        sockets.add(socket);
        return socket;
    }

    @AfterEach
    void stop() throws IOException {
        waiting.forEach(f -> f.complete(null));
        for (Socket s : sockets) {
            s.close();
        }
        if (port != null) {
            port.close();
        }
    }

    private static JsonNode json(RawHttp.Answer answer) throws IOException {
        return Exchanges.JSON.readTree(answer.body());
    }

    @Test
    void shouldRouteByExactPathAndMethodAndAnswerEveryErrorAsJson() throws Exception {
        // Given
        start(settings());
        Socket s = socket();

        // When
        RawHttp.get(s, "/hello");
        RawHttp.Answer hello = RawHttp.read(s);
        RawHttp.get(s, "/hello/more");
        RawHttp.Answer unknown = RawHttp.read(s);
        RawHttp.get(s, "/echo");
        RawHttp.Answer wrongMethod = RawHttp.read(s);
        RawHttp.post(s, "/refuse", "{}".getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer refused = RawHttp.read(s);
        RawHttp.post(s, "/broken", "{}".getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer broken = RawHttp.read(s);
        Socket garbage = socket();
        garbage.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Answer unparsable = RawHttp.read(garbage);

        // Then
        assertThat(hello.status()).isEqualTo(200);
        assertThat(json(hello).get("hello").asText()).isEqualTo("world");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).at("/error/message").asText()).isEqualTo("no endpoint at /hello/more");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers()).containsEntry("allow", "POST");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("retry-after", "7");
        assertThat(json(refused).at("/error/message").asText()).isEqualTo("too many");
        assertThat(broken.status()).isEqualTo(500);
        assertThat(json(broken).at("/error/message").asText()).isEqualTo("internal error: IllegalArgumentException");
        assertThat(unparsable.status()).isEqualTo(400);
        assertThat(unparsable.headers().get("content-type")).startsWith("application/json");
        assertThat(json(unparsable).at("/error/status").asInt()).isEqualTo(400);
    }

    @Test
    void shouldAnswer413OrAnEarlyRefusalToAClientThatSendsItsWholeBodyBeforeReading() throws Exception {
        // Given: a client that writes 5 MB before it reads anything, as Python's requests does
        start(settings());
        byte[] fiveMegabytes = ("{\"x\":\"" + "a".repeat(5 << 20) + "\"}").getBytes(StandardCharsets.UTF_8);
        Socket declared = socket();
        Socket chunked = socket();
        Socket early = socket();

        // When
        RawHttp.post(declared, "/echo", fiveMegabytes);
        RawHttp.Answer byLength = RawHttp.read(declared);
        RawHttp.postChunked(chunked, "/echo", fiveMegabytes);
        RawHttp.Answer byCount = RawHttp.read(chunked);
        RawHttp.post(early, "/refuse", fiveMegabytes);
        RawHttp.Answer refusedUnread = RawHttp.read(early);

        // Then: a 413 that says which limit, not a reset connection
        assertThat(byLength.status()).isEqualTo(413);
        assertThat(json(byLength).at("/error/message").asText())
                .isEqualTo("request body of " + fiveMegabytes.length + " bytes exceeds the limit of " + LIMIT
                        + " bytes (http.max-body-bytes)");
        assertThat(byCount.status()).isEqualTo(413);
        assertThat(json(byCount).at("/error/message").asText()).contains("more than " + LIMIT + " bytes");
        assertThat(refusedUnread.status()).isEqualTo(429);
    }

    @Test
    void shouldAnswer503WithRetryAfterBeyondTheBoundOnRequestsInProgressButStillAnswerProbes() throws Exception {
        // Given: two requests waiting for their answers, the bound being two
        start(settings().withConcurrency(16, 2));
        Socket first = socket();
        Socket second = socket();
        RawHttp.post(first, "/wait", "{}".getBytes(StandardCharsets.UTF_8));
        RawHttp.post(second, "/wait", "{}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 2);

        // When
        Socket third = socket();
        RawHttp.post(third, "/echo", "{}".getBytes(StandardCharsets.UTF_8));
        RawHttp.Answer refused = RawHttp.read(third);
        Socket probe = socket();
        RawHttp.get(probe, "/hello");
        RawHttp.Answer probed = RawHttp.read(probe);
        waiting.forEach(f -> f.complete(null));

        // Then
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers()).containsEntry("retry-after", "1");
        assertThat(json(refused).at("/error/message").asText()).contains("http.max-concurrent-requests");
        assertThat(probed.status()).isEqualTo(200);
        assertThat(RawHttp.read(first).status()).isEqualTo(200);
        assertThat(RawHttp.read(second).status()).isEqualTo(200);

        // And once they are answered there is room again
        RawHttp.post(third, "/echo", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(RawHttp.read(third).status()).isEqualTo(200);
    }

    @Test
    void shouldCloseAConnectionThatStaysSilentForTheIdleTimeout() throws Exception {
        // Given
        start(settings().withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(60)));
        Socket silent = socket();

        // When the client sends nothing, Then the server closes the connection (end of stream)
        assertThat(silent.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void shouldNotCutARequestThatWaitsForItsAnswerLongerThanTheIdleTimeout() throws Exception {
        // Given
        start(settings().withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(60)));
        Socket s = socket();
        RawHttp.post(s, "/wait", "{}".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 1);

        // When: nothing is answered for five idle timeouts
        s.setSoTimeout(1_000);
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        waiting.get(0).complete(null);

        // Then the answer still arrives on the same connection
        s.setSoTimeout(20_000);
        RawHttp.Answer answer = RawHttp.read(s);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(json(answer).get("done").asBoolean()).isTrue();
    }

    @Test
    void shouldNotAcceptMoreConnectionsThanTheLimitUntilOneCloses() throws Exception {
        // Given: a limit of one connection, held by a first client
        start(settings().withConcurrency(1, 16));
        Socket holder = socket();
        RawHttp.get(holder, "/hello");
        assertThat(RawHttp.read(holder).status()).isEqualTo(200);

        // When a second client asks
        Socket second = socket();
        RawHttp.get(second, "/hello");
        second.setSoTimeout(1_000);

        // Then it is not served while the first connection is open, and is served once it closes
        assertThatThrownBy(() -> second.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        holder.close();
        second.setSoTimeout(20_000);
        assertThat(RawHttp.read(second).status()).isEqualTo(200);
    }

    @Test
    void shouldBindToLoopbackByDefault() {
        assertThat(HttpSettings.defaults().host()).isEqualTo("127.0.0.1");
        assertThat(start(settings()).url()).startsWith("http://127.0.0.1:");
    }
}
