package io.rewardstream.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.config.ConfigException;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.scorer.http.QuerySplitter.Rule;
import org.junit.jupiter.api.Test;

class QuerySplitterTest {

    private final QuerySplitter splitter = new QuerySplitter(QueryRules.defaults());

    @Test
    void shouldTakeTheGivenPromptWhenTheQueryStartsWithItAndDropTheEndToken() {
        // Given: what OpenRLHF sends, the prompt with its chat template and the decoded generation after it
        String prompt = "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";

        // When
        QuerySplitter.Split split = splitter.split(prompt + "Four.<|im_end|>", prompt);

        // Then
        assertThat(split.item()).isEqualTo(new PromptResponse(prompt, "Four."));
        assertThat(split.rule()).isEqualTo(Rule.PROMPT);
    }

    @Test
    void shouldScoreAnEmptyGenerationAsAnEmptyResponse() {
        // Given a generation that is nothing but the end token, then padding
        String prompt = "<|im_start|>user\nSay something<|im_end|>\n<|im_start|>assistant\n";

        // When
        QuerySplitter.Split split = splitter.split(prompt + "<|im_end|><|endoftext|><|endoftext|>", prompt);

        // Then
        assertThat(split.item()).isEqualTo(new PromptResponse(prompt, ""));
        assertThat(split.rule()).isEqualTo(Rule.PROMPT);
    }

    @Test
    void shouldMatchTheGivenPromptDespiteWhitespaceThatDecodingChanged() {
        // Given a query whose prompt part lost and gained spaces in decoding
        String prompt = "Human: what is [/INST]?\n\nAssistant:";
        String query = "Human:  what is [/INST] ?\nAssistant: A tag.";

        // When
        QuerySplitter.Split split = splitter.split(query, prompt);

        // Then: the given prompt decides, even though its text contains a marker of another template
        assertThat(split.item()).isEqualTo(new PromptResponse(prompt, " A tag."));
        assertThat(split.rule()).isEqualTo(Rule.PROMPT);
    }

    @Test
    void shouldFindTheResponseByTheAssistantMarkerWhenTheQueryDoesNotStartWithItsPrompt() {
        // Given a prompt cut on the left (OpenRLHF truncates long prompts' tokens before generating)
        String prompt = "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nName a colour<|im_end|>\n"
                + "<|im_start|>assistant\n";
        String query = "terse.<|im_end|>\n<|im_start|>user\nName a colour<|im_end|>\n<|im_start|>assistant\nRed<|im_end|>";

        // When
        QuerySplitter.Split split = splitter.split(query, prompt);

        // Then
        assertThat(split.item().response()).isEqualTo("Red");
        assertThat(split.item().prompt()).isEqualTo(query.substring(0, query.indexOf("Red")));
        assertThat(split.rule()).isEqualTo(Rule.MARKER);
    }

    @Test
    void shouldSplitAfterTheLastAssistantTurnOfEachKnownTemplate() {
        assertThat(splitter.split("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\nA joke<|im_end|>\n<|im_start|>assistant\nWhy did...<|im_end|>\n", null).item())
                .satisfies(s -> assertThat(s.response()).isEqualTo("Why did..."))
                .satisfies(s -> assertThat(s.prompt()).startsWith("<|im_start|>user\nHi").endsWith("assistant\n"));
        assertThat(splitter.split("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nA.<|eot_id|>", null).item().response())
                .isEqualTo("A.");
        assertThat(splitter.split("<s>[INST] Q? [/INST] A. </s>", null).item())
                .isEqualTo(new PromptResponse("<s>[INST] Q? [/INST]", " A."));
        assertThat(splitter.split("<start_of_turn>user\nQ?<end_of_turn>\n<start_of_turn>model\nA.<end_of_turn>\n",
                null).item().response()).isEqualTo("A.");
        assertThat(splitter.split("\n\nHuman: Q?\n\nAssistant: A.", null).item())
                .isEqualTo(new PromptResponse("\n\nHuman: Q?\n\nAssistant:", " A."));
        assertThat(splitter.split("<|user|>\nQ?<|end|>\n<|assistant|>\nA.<|end|>", null).item().response())
                .isEqualTo("A.");
    }

    @Test
    void shouldScoreTheWholeQueryAndSaySoWhenNothingFits() {
        // When
        QuerySplitter.Split withPrompt = splitter.split("just an answer</s>", "some other prompt");
        QuerySplitter.Split without = splitter.split("plain text", null);

        // Then
        assertThat(withPrompt.item()).isEqualTo(new PromptResponse("some other prompt", "just an answer"));
        assertThat(withPrompt.rule()).isEqualTo(Rule.WHOLE);
        assertThat(without.item()).isEqualTo(new PromptResponse("", "plain text"));
        assertThat(without.rule()).isEqualTo(Rule.WHOLE);
    }

    @Test
    void shouldUseOnlyTheConfiguredMarkersAndTokens() {
        // Given only Llama 3 and a marker of one's own (with an escaped newline), and one end token
        QuerySplitter own = new QuerySplitter(QueryRules.parse("m", "llama3,<bot>\\n", "t", "<stop>"));

        // When / Then
        assertThat(own.split("<user>hi\n<bot>\nhello<stop>", null).item())
                .isEqualTo(new PromptResponse("<user>hi\n<bot>\n", "hello"));
        assertThat(own.split("<|im_start|>assistant\nx<|im_end|>", null).rule()).isEqualTo(Rule.WHOLE);
    }

    @Test
    void shouldRefuseAnEmptyEntryNamingTheKey() {
        assertThatThrownBy(() -> QueryRules.parse("openrlhf.assistant-markers", "chatml,,hh", "t", "x"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("openrlhf.assistant-markers");
    }
}
