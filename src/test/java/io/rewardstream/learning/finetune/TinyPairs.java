package io.rewardstream.learning.finetune;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.onnx.TinyBerts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text preference pairs for the tiny BERTs, with a word-level tokenizer whose ids fit their vocabulary: [PAD] 0,
 * [CLS] 1, [SEP] 2, [UNK] 3 and the words {@code w4} to {@code w23}, one token per word.
 */
public final class TinyPairs {

    /** Joint sequences of the pairs fit the tiny BERTs' 16 positions within this limit. */
    public static final int MAX_LENGTH = 16;

    private TinyPairs() {
    }

    /** A tiny BERT with seeded weights and the word-level tokenizer. */
    public static EncoderSource encoder(String name, byte[] onnx) {
        return new EncoderSource(name, false, onnx, tokenizerJson());
    }

    /**
     * Pairs whose preferred response starts with {@code w4} and whose other response holds the same words with
     * {@code w4} last: an order rule an order-blind encoder cannot see before it is trained.
     */
    public static List<PreferencePair> orderRule(long seed, int count) {
        Random random = new Random(seed);
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String prompt = word(random) + " " + word(random);
            int words = 1 + random.nextInt(4);
            StringBuilder rest = new StringBuilder();
            for (int w = 0; w < words; w++) {
                rest.append(' ').append(word(random));
            }
            pairs.add(new PreferencePair(prompt + " " + i % 7, "w4" + rest, rest.toString().trim() + " w4",
                    Double.NaN));
        }
        return pairs;
    }

    private static String word(Random random) {
        return "w" + (5 + random.nextInt(TinyBerts.VOCAB - 5));
    }

    public static byte[] tokenizerJson() {
        StringBuilder vocab = new StringBuilder("\"[PAD]\":0,\"[CLS]\":1,\"[SEP]\":2,\"[UNK]\":3");
        for (int id = 4; id < TinyBerts.VOCAB; id++) {
            vocab.append(",\"w").append(id).append("\":").append(id);
        }
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
                + special(0, "[PAD]") + "," + special(1, "[CLS]") + "," + special(2, "[SEP]") + ","
                + special(3, "[UNK]") + "],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":{\"type\":\"TemplateProcessing\","
                + "\"single\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},"
                + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}],"
                + "\"pair\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\","
                + "\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"B\","
                + "\"type_id\":1}},{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":1}}],"
                + "\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[1],\"tokens\":[\"[CLS]\"]},"
                + "\"[SEP]\":{\"id\":\"[SEP]\",\"ids\":[2],\"tokens\":[\"[SEP]\"]}}},\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"[UNK]\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String special(int id, String content) {
        return "{\"id\":" + id + ",\"content\":\"" + content + "\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}";
    }
}
