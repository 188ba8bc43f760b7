package io.rewardstream.scorer.http;

import io.rewardstream.config.ConfigKeys;
import io.rewardstream.http.HttpPort;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.http.Route;
import io.rewardstream.model.TextRules;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.status.StatusRoutes;
import io.rewardstream.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of one scorer instance, on Jetty, bound to {@code http.host} (loopback). */
public final class ScorerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerHttpServer.class);
    private static final int HANDLER_THREADS = 8;

    private final HttpPort port;

    private ScorerHttpServer(HttpPort port) {
        this.port = port;
    }

    /** As the method below, with the default text limit (input.max-text-chars). */
    public static ScorerHttpServer start(HttpSettings settings, ServingState state, RequestBatcher batcher,
                                         Telemetry telemetry) {
        return start(settings, state, batcher, telemetry, new TextRules(Integer.parseInt(
                ConfigKeys.DEFAULTS.get(ConfigKeys.INPUT_MAX_TEXT_CHARS)), ConfigKeys.INPUT_MAX_TEXT_CHARS));
    }

    /** As the method below, with the default OpenRLHF settings (openrlhf.*). */
    public static ScorerHttpServer start(HttpSettings settings, ServingState state, RequestBatcher batcher,
                                         Telemetry telemetry, TextRules texts) {
        return start(settings, state, batcher, telemetry, texts, OpenRlhfSettings.defaults());
    }

    /**
     * Listens with the scoring API, health, readiness, {@code telemetry}'s metrics and its status page.
     *
     * @param texts    what a prompt and a response must be to be scored (else 400 saying why)
     * @param openRlhf how POST /get_reward splits queries and which reward it answers
     */
    public static ScorerHttpServer start(HttpSettings settings, ServingState state, RequestBatcher batcher,
                                         Telemetry telemetry, TextRules texts, OpenRlhfSettings openRlhf) {
        InfoEndpoints info = new InfoEndpoints(state, telemetry::scrape);
        ScoreEndpoints scoring = new ScoreEndpoints(batcher, settings, texts, openRlhf);
        List<Route> routes = new ArrayList<>(StatusRoutes.of(telemetry.board()));
        routes.addAll(List.of(
                new Route("GET", "/healthz", info::health),
                new Route("GET", "/readyz", info::ready),
                new Route("GET", "/metrics", info::metrics),
                new Route("GET", "/v1/models", info::models),
                new Route("POST", "/v1/score", scoring::score),
                new Route("POST", "/get_reward", scoring::getReward)));
        ScorerHttpServer started = new ScorerHttpServer(HttpPort.start(settings, HANDLER_THREADS, "scorer-http",
                routes.stream().map(r -> r.metered(telemetry.registry())).toList()));
        LOG.info("Scorer HTTP server on {}", started.url());
        return started;
    }

    public int port() {
        return port.port();
    }

    /** The status page's address, e.g. http://127.0.0.1:8081/ */
    public String url() {
        return port.url();
    }

    @Override
    public void close() {
        port.close();
    }
}
