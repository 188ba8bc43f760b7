package io.rewardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench scorer --json} end to end on a small synthetic set: one JSON object with every figure measured. */
class BenchScorerIT {

    @TempDir
    Path temp;

    @Test
    void shouldPrintOneJsonObjectWithEveryFigure() throws Exception {
        CliRun run = CliRun.of("bench", "scorer", "--items", "128", "--data", temp.resolve("absent.jsonl").toString(),
                "--raw-passes", "1", "--ceiling-items", "512", "--prompts", "16", "--responses-per-prompt", "4",
                "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        for (String key : new String[] {"raw_per_s", "pipeline_per_s", "ratio", "p50_ms", "p99_ms", "sorted_per_s",
            "unsorted_per_s", "prep_per_s_per_core", "ceiling_per_s", "ceiling_per_s_per_core",
            "ceiling_items_per_commit", "ceiling_commit_ms_mean", "roofline_fraction",
            "raw_fp32_per_s", "raw_int8_per_s", "gflop_per_item", "cached_prompts_per_s", "uncached_prompts_per_s",
            "prompt_token_share", "prompt_cache_ideal_speedup", "int8_pair_agreement", "alone_p50_ms", "alone_p99_ms",
            "p99_ms_from_batch"}) {
            assertThat(json.path(key).isNumber()).as("%s in %s", key, run.out()).isTrue();
            assertThat(json.path(key).asDouble()).as(key).isPositive();
        }
        assertThat(json.path("p99_ms").asDouble()).isGreaterThanOrEqualTo(json.path("p50_ms").asDouble());
        assertThat(json.path("alone_p99_ms").asDouble()).isGreaterThanOrEqualTo(json.path("alone_p50_ms").asDouble());
        assertThat(json.path("p99_ms_before_batch").asDouble()).isGreaterThanOrEqualTo(0)
                .isLessThanOrEqualTo(json.path("p99_ms").asDouble() + 1);
        assertThat(json.path("ratio").asDouble()).isCloseTo(
                json.path("pipeline_per_s").asDouble() / json.path("raw_per_s").asDouble(),
                Offset.offset(0.01));
        assertThat(json.path("texts").asText()).isEqualTo("synthetic");
        assertThat(json.path("precision").asText()).isEqualTo("int8");
        assertThat(json.path("raw_per_s").asDouble()).isEqualTo(json.path("raw_int8_per_s").asDouble());
        assertThat(json.path("roofline_fraction").asDouble()).isLessThan(1);
        assertThat(json.path("prompt_token_share").asDouble()).isLessThan(1);
        assertThat(json.path("int8_max_abs_diff").asDouble()).isGreaterThanOrEqualTo(
                json.path("int8_p99_abs_diff").asDouble());
        assertThat(json.path("items").asInt()).isEqualTo(128);
        assertThat(json.path("layout").asText()).isEqualTo("separate");
        assertThat(json.path("stream_threads").asInt()).isEqualTo(1);
        assertThat(json.path("batches_in_flight").asInt()).isZero();
    }

    @Test
    void shouldMeasureAJointModelAndSayThePromptCacheCannotApply() throws Exception {
        // Given a model of the joint layout (as fine-tuned models are), trained quickly on a frozen encoder
        List<String> lines = new ArrayList<>();
        for (PreferencePair p : new SyntheticPreferences(5, 0).pairs(300)) {
            lines.add(new ObjectMapper().writeValueAsString(Map.of("prompt", p.prompt(), "chosen", p.chosen(),
                    "rejected", p.rejected())));
        }
        Path pairs = Files.write(temp.resolve("pairs.jsonl"), lines);
        Path model = temp.resolve("joint-model");
        CliRun train = CliRun.of("train", "--pairs", pairs.toString(), "--out", model.toString(), "--layout", "joint",
                "--encoder", EncoderSource.DEFAULT, "--encoder-training", "frozen");
        assertThat(train.exitCode()).as(train.err()).isZero();

        // When
        CliRun run = CliRun.of("bench", "scorer", "--model", model.toString(), "--items", "64", "--data",
                temp.resolve("absent.jsonl").toString(), "--raw-passes", "1", "--ceiling-items", "128", "--prompts",
                "4", "--responses-per-prompt", "2", "--latency-rate", "25", "--stream-threads", "2",
                "--batches-in-flight", "2", "--json");

        // Then every other figure is there, and none of the prompt cache's; the latency run at the rate asked for, the
        // scorer on two stream threads (one per partition of the benchmark's topic), each scoring on its model lane
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("layout").asText()).isEqualTo("joint");
        assertThat(json.path("raw_per_s").asDouble()).isPositive();
        assertThat(json.path("ceiling_per_s").asDouble()).isPositive();
        assertThat(json.has("cached_prompts_per_s")).as(run.out()).isFalse();
        assertThat(json.path("latency_rate_per_s").asDouble()).isEqualTo(25.0);
        assertThat(json.path("latency_items_per_commit").asDouble()).isPositive();
        assertThat(json.path("stream_threads").asInt()).isEqualTo(2);
        assertThat(json.path("batches_in_flight").asInt()).isEqualTo(2);
        assertThat(json.path("pipeline_per_s").asDouble()).isPositive();
    }

    @Test
    void shouldRefuseTooManyBatchesInFlightNamingTheOption() {
        CliRun run = CliRun.of("bench", "scorer", "--batches-in-flight", "17", "--json");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--batches-in-flight").contains("17");
    }

    @Test
    void shouldRefuseANegativeLatencyRateNamingTheOption() {
        CliRun run = CliRun.of("bench", "scorer", "--latency-rate", "-5", "--json");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--latency-rate").contains("-5");
    }

    @Test
    void shouldRefuseNoStreamThreadNamingTheOption() {
        CliRun run = CliRun.of("bench", "scorer", "--stream-threads", "0", "--json");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--stream-threads").contains("0");
    }
}
