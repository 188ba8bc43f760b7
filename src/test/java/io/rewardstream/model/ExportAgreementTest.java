package io.rewardstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rewardstream.head.FeatureLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExportAgreementTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(FeatureLayout.class)
    void shouldServeTheSameRewardsAsTheJavaPathWithinOneTenThousandth(FeatureLayout layout) throws IOException {
        Path modelDir = ModelFixtures.trained(layout);
        Path onnx = temp.resolve("export").resolve("reward.onnx");

        Map<String, Object> manifest = ModelExport.write(modelDir, onnx);

        List<PromptResponse> items = new ArrayList<>();
        items.add(new PromptResponse("How do I bake sourdough bread?", "Feed the starter the night before."));
        items.add(new PromptResponse("How do I fix a dripping tap?", "Figure it out yourself."));
        items.add(new PromptResponse("Tell me about bread. ".repeat(100), "Short answer."));
        items.add(new PromptResponse("Why?", "Because the long answer goes on and on. ".repeat(60)));
        try (RewardModel model = RewardModel.load(modelDir, 2); ExportRunner exported = ExportRunner.load(onnx)) {
            List<RewardModel.Score> java = model.score(items);
            float[] served = exported.rewards(items);
            for (int i = 0; i < items.size(); i++) {
                assertThat((double) served[i]).as("item %d", i)
                        .isCloseTo(java.get(i).reward(), Offset.offset(1e-4));
            }
            assertThat(java.get(2).truncated()).isTrue();
            assertThat(java.get(3).truncated()).isTrue();
        }
        JsonNode written = ModelDirectory.JSON.readTree(temp.resolve("export").resolve(ModelExport.MANIFEST).toFile());
        assertThat(written.get("encoding").asText()).isEqualTo(layout.manifestName()).isEqualTo(manifest.get("encoding"));
        assertThat(written.get("max_length").asInt()).isEqualTo(128);
        assertThat(written.get("inputs")).hasSize(layout == FeatureLayout.JOINT ? 3 : 6);
        assertThat(temp.resolve("export").resolve(ModelDirectory.TOKENIZER)).exists();
    }
}
