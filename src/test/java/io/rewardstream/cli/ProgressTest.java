package io.rewardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void shouldPrintAtMostOneLinePerTenthOfATaskWhenNotOnATerminal() {
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(out), false);

        for (int i = 1; i <= 100; i++) {
            progress.update("epoch 1", i, 100, "");
        }

        assertThat(out.toString().lines()).as("the first step, then one line per tenth").hasSize(11)
                .allSatisfy(line -> assertThat(line).startsWith("epoch 1: "));
    }

    @Test
    void shouldShowATaskAgainWhenItStartsOverUnderTheSameName() {
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(out), false);

        for (int run = 0; run < 2; run++) {
            for (int i = 1; i <= 10; i++) {
                progress.update("top-2 epoch 1", i, 10, "");
            }
        }

        assertThat(out.toString().lines().filter(line -> line.startsWith("top-2 epoch 1: 10/10")))
                .as("both runs reach their end on screen").hasSize(2);
    }
}
