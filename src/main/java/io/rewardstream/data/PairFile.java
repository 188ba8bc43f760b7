package io.rewardstream.data;

import java.nio.file.Path;

/** Reads preference pairs from JSONL lines {"prompt", "chosen", "rejected"[, "margin"]}. */
public final class PairFile {

    private PairFile() {
    }

    public static JsonLines.Read<PreferencePair> read(Path file, boolean strict) {
        return JsonLines.read(file, node -> {
            String prompt = JsonLines.text(node, "prompt");
            String chosen = JsonLines.text(node, "chosen");
            String rejected = JsonLines.text(node, "rejected");
            if (chosen.equals(rejected)) {
                throw new IllegalArgumentException("chosen and rejected are identical");
            }
            double margin = JsonLines.optionalNumber(node, "margin");
            if (!Double.isNaN(margin) && (Double.isInfinite(margin) || margin < 0)) {
                throw new IllegalArgumentException("margin must be a finite number >= 0, got " + margin);
            }
            return new PreferencePair(prompt, chosen, rejected, margin);
        }, strict);
    }
}
