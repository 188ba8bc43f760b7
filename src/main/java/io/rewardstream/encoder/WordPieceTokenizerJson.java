package io.rewardstream.encoder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} for a BERT WordPiece vocabulary ({@code vocab.txt}: one token a line, the
 * line number its id), for encoders published with a vocabulary file only (TensorFlow checkpoints): BERT's
 * normaliser (for an uncased vocabulary it lower-cases and, with that, strips accents), BERT's pre-tokenizer, WordPiece with {@code ##} continuations and the
 * {@code [CLS] A [SEP] B [SEP]} template, as Hugging Face writes these files for BERT.
 */
public final class WordPieceTokenizerJson {

    static final List<String> REQUIRED = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]");

    private WordPieceTokenizerJson() {
    }

    /**
     * @param vocab     the vocabulary in id order
     * @param lowercase whether texts are lower-cased before lookup (an "uncased" model)
     * @throws IllegalArgumentException when a token is listed twice or one of [PAD], [UNK], [CLS], [SEP] is missing
     */
    public static byte[] of(List<String> vocab, boolean lowercase) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            if (ids.putIfAbsent(vocab.get(i), i) != null) {
                throw new IllegalArgumentException("the vocabulary lists '" + vocab.get(i) + "' twice (lines "
                        + (ids.get(vocab.get(i)) + 1) + " and " + (i + 1) + ")");
            }
        }
        for (String token : REQUIRED) {
            if (!ids.containsKey(token)) {
                throw new IllegalArgumentException("the vocabulary has no " + token + " token; a BERT vocabulary has "
                        + String.join(", ", REQUIRED));
            }
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String token : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) {
            if (ids.containsKey(token)) {
                added.addObject().put("id", ids.get(token)).put("content", token).put("single_word", false)
                        .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
            }
        }
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).putNull("strip_accents").put("lowercase", lowercase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String token : List.of("[CLS]", "[SEP]")) {
            ObjectNode s = specials.putObject(token).put("id", token);
            s.putArray("ids").add(ids.get(token));
            s.putArray("tokens").add(token);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##").put("max_input_chars_per_word", 100);
        ObjectNode table = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            table.put(vocab.get(i), i);
        }
        try {
            return new ObjectMapper().writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("writing tokenizer.json", e);
        }
    }

    private static void special(ArrayNode template, String token, int typeId) {
        template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
    }
}
