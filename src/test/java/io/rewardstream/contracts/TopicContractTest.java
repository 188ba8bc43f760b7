package io.rewardstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoreStatistics;
import io.rewardstream.avro.ScoredResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The field names other teams code against, and the documentation every field must carry. */
class TopicContractTest {

    private static final List<Schema> ALL = List.of(PreferenceEvent.getClassSchema(),
            RolloutResponse.getClassSchema(), ScoredResponse.getClassSchema(), ModelRelease.getClassSchema(),
            AccuracyReport.getClassSchema(), DriftAlert.getClassSchema(), ScoreStatistics.getClassSchema(),
            ReleaseRejected.getClassSchema(), DeadLetter.getClassSchema(), ArtifactChunk.getClassSchema());

    @Test
    void shouldKeepPreferenceEventFieldsOfTheContract() {
        assertThat(names(PreferenceEvent.getClassSchema())).containsExactly("event_id", "prompt", "responses",
                "ranking", "strength", "annotator_id", "source", "event_time", "metadata");
        assertThat(PreferenceEvent.getClassSchema().getField("strength").defaultVal())
                .isEqualTo(JsonProperties.NULL_VALUE);
    }

    @Test
    void shouldKeepRolloutResponseFieldsAndExtendThemInScoredResponse() {
        List<String> rollout = names(RolloutResponse.getClassSchema());
        assertThat(rollout).containsExactly("response_id", "prompt", "response", "policy_version", "metadata",
                "created_at");
        assertThat(names(ScoredResponse.getClassSchema())).startsWith(rollout.toArray(String[]::new))
                .containsSubsequence("reward", "reward_normalized", "model_name", "model_version", "scored_at",
                        "truncated");
    }

    @Test
    void shouldCarryEventTimesAsTimestampMillis() {
        for (String field : List.of("event_time")) {
            assertTimestamp(PreferenceEvent.getClassSchema().getField(field).schema());
        }
        assertTimestamp(RolloutResponse.getClassSchema().getField("created_at").schema());
        assertTimestamp(ScoredResponse.getClassSchema().getField("scored_at").schema());
        assertTimestamp(ModelRelease.getClassSchema().getField("created_at").schema());
        assertTimestamp(DeadLetter.getClassSchema().getField("failed_at").schema());
    }

    @Test
    void shouldDocumentEveryFieldOfEverySchema() {
        List<String> undocumented = new ArrayList<>();
        for (Schema schema : ALL) {
            collectUndocumented(schema, undocumented, new HashSet<>());
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void shouldPlaceEverySchemaInTheProjectNamespace() {
        assertThat(ALL).allSatisfy(s -> assertThat(s.getNamespace()).isEqualTo("io.rewardstream.avro"));
    }

    @Test
    void shouldShipReleaseIdentityChecksumsAndEvaluation() {
        Schema release = ModelRelease.getClassSchema();
        assertThat(names(release)).contains("model_name", "version", "status", "created_at", "encoder_identity",
                "head_onnx", "head_sha256", "normalization", "calibration_temperature", "training", "evaluation");
        assertThat(names(release.getField("encoder_identity").schema()))
                .contains("name", "onnx_sha256", "max_length", "feature_spec", "tokenizer_ref");
        assertThat(names(release.getField("evaluation").schema()))
                .contains("accuracy", "log_loss", "ece", "length_correlation", "live_accuracy");
        assertThat(release.getField("status").schema().getEnumSymbols()).contains("PROMOTED", "REJECTED", "RETIRED");
    }

    private static void assertTimestamp(Schema schema) {
        assertThat(schema.getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
    }

    private static List<String> names(Schema record) {
        return record.getFields().stream().map(Schema.Field::name).toList();
    }

    private static void collectUndocumented(Schema schema, List<String> out, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                for (Schema.Field field : schema.getFields()) {
                    if (field.doc() == null || field.doc().isBlank()) {
                        out.add(schema.getFullName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), out, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, out, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), out, seen);
            case MAP -> collectUndocumented(schema.getValueType(), out, seen);
            default -> {
            }
        }
    }
}
