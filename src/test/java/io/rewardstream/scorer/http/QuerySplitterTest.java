package io.rewardstream.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.http.HttpProblem;
import io.rewardstream.model.PromptResponse;
import org.junit.jupiter.api.Test;

class QuerySplitterTest {

    @Test
    void shouldSplitAChatMlQueryAfterTheLastAssistantTurnAndDropTheEndToken() {
        // Given
        String query = "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\nTell a joke<|im_end|>\n<|im_start|>assistant\nWhy did the chicken...<|im_end|>\n";

        // When
        PromptResponse split = QuerySplitter.split(0, query, null);

        // Then
        assertThat(split.prompt()).endsWith("Tell a joke<|im_end|>\n<|im_start|>assistant\n")
                .startsWith("<|im_start|>user\nHi");
        assertThat(split.response()).isEqualTo("Why did the chicken...");
    }

    @Test
    void shouldSplitLlama3AndLlama2Templates() {
        // Given
        String llama3 = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nA.<|eot_id|>";
        String llama2 = "<s>[INST] Q? [/INST] A. </s>";

        // When / Then
        assertThat(QuerySplitter.split(0, llama3, null).response()).isEqualTo("A.");
        assertThat(QuerySplitter.split(0, llama3, null).prompt()).endsWith("assistant<|end_header_id|>\n\n");
        assertThat(QuerySplitter.split(1, llama2, null)).isEqualTo(new PromptResponse("<s>[INST] Q? [/INST]", " A."));
    }

    @Test
    void shouldLetAGivenPromptDecideTheSplit() {
        // Given a prompt whose text contains a marker that must not be used
        String prompt = "Human: what is [/INST]?\n\nAssistant:";

        // When
        PromptResponse split = QuerySplitter.split(0, prompt + " A tag.", prompt);
        PromptResponse notPrefixed = QuerySplitter.split(1, "just an answer", "some prompt");

        // Then
        assertThat(split).isEqualTo(new PromptResponse(prompt, " A tag."));
        assertThat(notPrefixed).isEqualTo(new PromptResponse("some prompt", "just an answer"));
    }

    @Test
    void shouldRefuseAQueryWithoutMarkerOrPromptNamingItsIndex() {
        // When / Then
        assertThatThrownBy(() -> QuerySplitter.split(3, "plain text", null)).isInstanceOf(HttpProblem.class)
                .hasMessageContaining("query[3]").hasMessageContaining("prompts");
    }
}
