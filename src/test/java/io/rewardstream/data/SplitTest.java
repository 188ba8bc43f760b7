package io.rewardstream.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void shouldHoldOutAboutTheRequestedShareAndKeepEachPromptOnOneSide() {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            prompts.add("prompt " + (i % 2500));
        }

        Split.Indices split = Split.byGroup(prompts, p -> p, 0.1, 42);

        assertThat(split.heldOut().length + split.kept().length).isEqualTo(5000);
        assertThat(split.heldOut().length / 5000.0).isBetween(0.08, 0.12);
        Set<String> heldOut = new HashSet<>();
        for (int i : split.heldOut()) {
            heldOut.add(prompts.get(i));
        }
        for (int i : split.kept()) {
            assertThat(heldOut).doesNotContain(prompts.get(i));
        }
    }

    @Test
    void shouldDrawADifferentSplitForAnotherSeed() {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            prompts.add("p" + i);
        }
        assertThat(Split.byGroup(prompts, p -> p, 0.2, 1).heldOut())
                .isNotEqualTo(Split.byGroup(prompts, p -> p, 0.2, 2).heldOut())
                .isEqualTo(Split.byGroup(prompts, p -> p, 0.2, 1).heldOut());
    }
}
