package io.rewardstream.status;

import io.rewardstream.http.Exchanges;
import io.rewardstream.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The status page of an instance and the JSON documents it draws from:
 * <ul>
 *   <li>{@code GET /}: the page (HTML; its script fetches the documents below every 5 s)</li>
 *   <li>{@code GET /api/status}: readiness and each role's cards (model card, figures)</li>
 *   <li>{@code GET /api/series}: sample times and the plotted series, chart by chart</li>
 *   <li>{@code GET /api/events}: promotions, rejections, drift alerts, models put in service</li>
 *   <li>{@code GET /api/distributions}: histograms, e.g. the normalised rewards of each model version</li>
 * </ul>
 * The page's script, style and the uPlot chart library come from this jar ({@code /status.js}, {@code /status.css},
 * {@code /assets/...}), so the page works without the internet.
 */
public final class StatusRoutes {

    static final String UPLOT_JS = "/assets/uPlot.iife.min.js";
    static final String UPLOT_CSS = "/assets/uPlot.min.css";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";

    private StatusRoutes() {
    }

    /** The page's routes over {@code board}. */
    public static List<Route> of(StatusBoard board) {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        byte[] page = resource("io/rewardstream/status/index.html");
        byte[] script = resource("io/rewardstream/status/status.js");
        byte[] style = resource("io/rewardstream/status/status.css");
        byte[] uplotJs = resource(uplot + "uPlot.iife.min.js");
        byte[] uplotCss = resource(uplot + "uPlot.min.css");
        return List.of(
                new Route("GET", "/", exchange -> Exchanges.send(exchange, 200, HTML, page)),
                new Route("GET", "/status.js", exchange -> Exchanges.send(exchange, 200, JS, script)),
                new Route("GET", "/status.css", exchange -> Exchanges.send(exchange, 200, CSS, style)),
                new Route("GET", UPLOT_JS, exchange -> Exchanges.send(exchange, 200, JS, uplotJs)),
                new Route("GET", UPLOT_CSS, exchange -> Exchanges.send(exchange, 200, CSS, uplotCss)),
                new Route("GET", "/api/status", exchange -> Exchanges.sendJson(exchange, 200, board.status())),
                new Route("GET", "/api/series", exchange -> Exchanges.sendJson(exchange, 200, board.series())),
                new Route("GET", "/api/events", exchange -> Exchanges.sendJson(exchange, 200, board.eventList())),
                new Route("GET", "/api/distributions",
                        exchange -> Exchanges.sendJson(exchange, 200, board.distributions())));
    }

    /** The uPlot WebJar's version, from its Maven metadata in the jar. */
    static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] resource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the jar", e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = StatusRoutes.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath");
        }
        return in;
    }
}
