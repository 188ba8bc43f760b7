package io.rewardstream.trainer.stream;

import io.rewardstream.trainer.retrain.PairTexts;
import io.rewardstream.trainer.retrain.TrainingPair;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of a {@link TrainingPair} for the training store and its changelog: a version byte, the ids,
 * flags, lengths, the two feature rows as raw floats, then (version 2) the prompt and both responses. Version 1
 * records, written before the texts were kept, still read, without texts.
 */
public final class TrainingPairSerde implements Serde<TrainingPair> {

    private static final byte VERSION = 2;
    private static final byte WITHOUT_TEXTS = 1;

    @Override
    public Serializer<TrainingPair> serializer() {
        return (topic, pair) -> pair == null ? null : write(pair);
    }

    @Override
    public Deserializer<TrainingPair> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(ByteBuffer.wrap(bytes));
    }

    static byte[] write(TrainingPair pair) {
        byte[] id = utf8(pair.pairId());
        byte[] key = utf8(pair.judgmentKey());
        PairTexts texts = pair.texts() == null ? new PairTexts("", "", "") : pair.texts();
        byte[] prompt = utf8(texts.prompt());
        byte[] chosenText = utf8(texts.chosen());
        byte[] rejectedText = utf8(texts.rejected());
        int width = pair.chosen().length;
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + id.length + 4 + key.length + 1 + 4 + 4 + 4 + 4 + 8 * width
                + 1 + 12 + prompt.length + chosenText.length + rejectedText.length);
        out.put(VERSION).putInt(id.length).put(id).putInt(key.length).put(key);
        out.put((byte) ((pair.chosenFirst() ? 1 : 0) | (pair.heldOut() ? 2 : 0)));
        out.putFloat(pair.strength()).putInt(pair.chosenLength()).putInt(pair.rejectedLength()).putInt(width);
        for (float v : pair.chosen()) {
            out.putFloat(v);
        }
        for (float v : pair.rejected()) {
            out.putFloat(v);
        }
        out.put((byte) (pair.texts() == null ? 0 : 1));
        out.putInt(prompt.length).put(prompt).putInt(chosenText.length).put(chosenText).putInt(rejectedText.length)
                .put(rejectedText);
        return out.array();
    }

    static TrainingPair read(ByteBuffer in) {
        byte version = in.get();
        if (version != VERSION && version != WITHOUT_TEXTS) {
            throw new IllegalArgumentException("unknown training pair format " + version);
        }
        String id = string(in);
        String key = string(in);
        byte flags = in.get();
        float strength = in.getFloat();
        int chosenLength = in.getInt();
        int rejectedLength = in.getInt();
        int width = in.getInt();
        float[] chosen = new float[width];
        float[] rejected = new float[width];
        in.asFloatBuffer().get(chosen).get(rejected);
        in.position(in.position() + 8 * width);
        PairTexts texts = null;
        if (version == VERSION) {
            boolean present = in.get() != 0;
            PairTexts read = new PairTexts(string(in), string(in), string(in));
            texts = present ? read : null;
        }
        return new TrainingPair(id, key, (flags & 1) != 0, chosen, rejected, strength, chosenLength, rejectedLength,
                (flags & 2) != 0, texts);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
