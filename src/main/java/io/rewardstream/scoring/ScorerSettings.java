package io.rewardstream.scoring;

import io.rewardstream.model.Device;
import java.time.Duration;

/**
 * The scorer role's own settings, validated on construction (a bad value fails fast and names its key).
 *
 * @param applicationId      Kafka Streams application.id (consumer group, state and internal topic prefix)
 * @param batchSize          responses per micro-batch (scoring.batch.size)
 * @param linger             longest a response waits for its batch to fill, in wall-clock time (scoring.linger.ms)
 * @param device             where the encoder runs: auto, cpu or cuda:N (scoring.device)
 * @param modelThreads       ONNX Runtime intra-op threads, 0 for the runtime default (scoring.model.threads)
 * @param httpHost           address the HTTP server binds to (http.host); loopback unless exposed on purpose
 * @param httpPort           HTTP port, 0 for any free port (http.port)
 * @param maxBodyBytes       largest HTTP request body accepted (http.max.body.bytes)
 * @param maxItemsPerRequest most items one HTTP scoring request may carry (http.max.items)
 */
public record ScorerSettings(String applicationId, int batchSize, Duration linger, Device device, int modelThreads,
                             String httpHost, int httpPort, int maxBodyBytes, int maxItemsPerRequest) {

    /** 64 responses fill two encoder sub-batches of 32 per call; 20 ms keeps p99 latency low at low load. */
    public static ScorerSettings defaults() {
        return new ScorerSettings("rewardstream-scorer", 64, Duration.ofMillis(20), Device.AUTO, 0,
                "127.0.0.1", 8081, 4 << 20, 1024);
    }

    public ScorerSettings {
        require(applicationId != null && !applicationId.isBlank(), "scoring.application.id", "must not be empty");
        require(batchSize >= 1 && batchSize <= 65_536, "scoring.batch.size", "must be between 1 and 65536");
        require(linger != null && !linger.isNegative() && !linger.isZero() && linger.toMillis() >= 1,
                "scoring.linger.ms", "must be at least 1 ms");
        require(device != null, "scoring.device", "must be auto, cpu or cuda:N");
        require(modelThreads >= 0, "scoring.model.threads", "must be 0 (runtime default) or more");
        require(httpHost != null && !httpHost.isBlank(), "http.host", "must not be empty");
        require(httpPort >= 0 && httpPort <= 65_535, "http.port", "must be between 0 and 65535");
        require(maxBodyBytes >= 1024, "http.max.body.bytes", "must be at least 1024");
        require(maxItemsPerRequest >= 1, "http.max.items", "must be at least 1");
    }

    public ScorerSettings withBatchSize(int size) {
        return new ScorerSettings(applicationId, size, linger, device, modelThreads, httpHost, httpPort, maxBodyBytes,
                maxItemsPerRequest);
    }

    public ScorerSettings withLinger(Duration value) {
        return new ScorerSettings(applicationId, batchSize, value, device, modelThreads, httpHost, httpPort,
                maxBodyBytes, maxItemsPerRequest);
    }

    public ScorerSettings withHttp(String host, int port, int bodyBytes) {
        return new ScorerSettings(applicationId, batchSize, linger, device, modelThreads, host, port, bodyBytes,
                maxItemsPerRequest);
    }

    public ScorerSettings withDevice(Device value, int threads) {
        return new ScorerSettings(applicationId, batchSize, linger, value, threads, httpHost, httpPort, maxBodyBytes,
                maxItemsPerRequest);
    }

    public ScorerSettings withApplicationId(String id) {
        return new ScorerSettings(id, batchSize, linger, device, modelThreads, httpHost, httpPort, maxBodyBytes,
                maxItemsPerRequest);
    }

    private static void require(boolean ok, String key, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + " " + rule);
        }
    }
}
