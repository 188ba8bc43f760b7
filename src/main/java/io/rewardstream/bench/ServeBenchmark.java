package io.rewardstream.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.ServeRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code bench serve}: a {@link ServeRole} on loopback, the same items sent by N concurrent clients that post one
 * sample each (as OpenRLHF's client does), and as whole batches by one client. Each item is a chat-formatted query
 * with its prompt, in OpenRLHF's JSON.
 */
public final class ServeBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "<|im_start|>user\n";
    private static final String ASSISTANT = "<|im_end|>\n<|im_start|>assistant\n";
    private static final String END = "<|im_end|>";

    /** Items per second, latency per request, and answers other than 200, at one client count. */
    public record Load(int clients, double perSecond, double p50Millis, double p99Millis, int failed) {
    }

    /** Everything measured. */
    public record Result(int items, int batchSize, double batchedPerSecond, int batchedFailed, List<Load> loads) {

        /** The load with the most clients. */
        public Load busiest() {
            return loads.get(loads.size() - 1);
        }

        /** Items per second of the busiest load over items per second sent as whole batches. */
        public double ratio() {
            return busiest().perSecond() / batchedPerSecond;
        }
    }

    private ServeBenchmark() {
    }

    /**
     * @param clients client counts, smallest first
     */
    public static Result run(Path modelDir, List<PromptResponse> items, ScorerSettings settings, List<Integer> clients,
                             Consumer<String> progress) {
        List<String> singles = new ArrayList<>(items.size());
        for (PromptResponse item : items) {
            singles.add(body(List.of(item)));
        }
        List<String> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += settings.batchSize()) {
            batches.add(body(items.subList(from, Math.min(items.size(), from + settings.batchSize()))));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (ServeRole serve = ServeRole.start(settings, modelDir, null)) {
            URI url = URI.create(serve.url()).resolve("/get_reward");
            progress.accept("warm-up: one batch");
            post(http, url, batches.get(0));
            progress.accept("whole batches of " + settings.batchSize() + " from one client");
            long start = System.nanoTime();
            int batchedFailed = 0;
            for (String batch : batches) {
                batchedFailed += post(http, url, batch) == 200 ? 0 : 1;
            }
            double batchedPerSecond = items.size() / ((System.nanoTime() - start) / 1e9);
            List<Load> loads = new ArrayList<>();
            for (int n : clients) {
                progress.accept(n + " concurrent single-sample clients");
                loads.add(concurrent(http, url, singles, n));
            }
            return new Result(items.size(), settings.batchSize(), batchedPerSecond, batchedFailed, loads);
        }
    }

    /** {"query": [...], "prompts": [...], "labels": [...]} as OpenRLHF's client sends it. */
    static String body(List<PromptResponse> items) {
        List<String> queries = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (PromptResponse item : items) {
            String prompt = USER + item.prompt().strip() + ASSISTANT;
            prompts.add(prompt);
            queries.add(prompt + item.response().strip() + END);
            labels.add("");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", queries);
        body.put("prompts", prompts);
        body.put("labels", labels);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Load concurrent(HttpClient http, URI url, List<String> bodies, int clients) {
        double[] latencies = new double[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(clients);
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < bodies.size()) {
                    long sent = System.nanoTime();
                    if (post(http, url, bodies.get(i)) != 200) {
                        failed.incrementAndGet();
                    }
                    latencies[i] = (System.nanoTime() - sent) / 1e6;
                }
            }, "bench-serve-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Load(clients, bodies.size() / seconds, PipelineRun.percentile(latencies, 0.5),
                PipelineRun.percentile(latencies, 0.99), failed.get());
    }

    /** The answer's status, or -1 when no answer came. */
    private static int post(HttpClient http, URI url, String body) {
        try {
            return http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1; // counted as failed: the connection broke or was refused
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
