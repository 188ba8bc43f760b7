package io.rewardstream.trainer.stream;

import io.rewardstream.data.Split;
import io.rewardstream.trainer.retrain.PairTexts;
import io.rewardstream.trainer.retrain.TrainingPair;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Turns an encoded event into the ordered pairs the training store keeps ({@link RankingExpansion}). */
public final class PairExpansion {

    private PairExpansion() {
    }

    /** The pairs of one encoded event; {@code holdoutFraction} of events (by id hash) are held out. */
    public static List<TrainingPair> pairs(EncodedEvent encoded, double holdoutFraction, long seed) {
        var event = encoded.event();
        boolean heldOut = Split.unitHash(event.getEventId(), seed) < holdoutFraction;
        float strength = event.getStrength() == null ? Float.NaN : event.getStrength().floatValue();
        List<TrainingPair> pairs = new ArrayList<>();
        int n = 0;
        for (int[] p : RankingExpansion.pairs(event.getResponses().size(), event.getRanking())) {
            String chosen = event.getResponses().get(p[0]);
            String rejected = event.getResponses().get(p[1]);
            boolean chosenFirst = chosen.compareTo(rejected) < 0;
            String key = judgmentKey(event.getPrompt(), chosenFirst ? chosen : rejected, chosenFirst ? rejected : chosen);
            pairs.add(new TrainingPair(event.getEventId() + "#" + n++, key, chosenFirst, encoded.features()[p[0]],
                    encoded.features()[p[1]], strength, chosen.length(), rejected.length(), heldOut,
                    new PairTexts(event.getPrompt(), chosen, rejected)));
        }
        return pairs;
    }

    static String judgmentKey(String prompt, String first, String second) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {prompt, first, second}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
