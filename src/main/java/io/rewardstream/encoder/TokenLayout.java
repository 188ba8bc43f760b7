package io.rewardstream.encoder;

import java.util.Arrays;

/**
 * Lays text tokens out into encoder inputs within a maximum length, with the truncation rule of RewardStream:
 * the response is kept whole where possible; when the input is too long the prompt is cut first, keeping its
 * end (the part nearest the response), then the response is cut, keeping its start.
 *
 * @param start     ids placed before the first segment ([CLS] for BERT tokenizers)
 * @param separator ids placed after each segment ([SEP] for BERT tokenizers)
 * @param maxLength the encoder's maximum sequence length, special tokens included
 */
public record TokenLayout(long[] start, long[] separator, int maxLength) {

    public TokenLayout {
        int minimum = start.length + 2 * separator.length + 2;
        if (maxLength < minimum) {
            throw new IllegalArgumentException("max length " + maxLength + " leaves no room for text; at least "
                    + minimum + " is needed");
        }
    }

    /** One sequence, prompt as the first segment and response as the second: [CLS] p [SEP] y [SEP]. */
    public TokenSequence joint(long[] prompt, long[] response) {
        int budget = maxLength - start.length - 2 * separator.length;
        int responseKept = Math.min(response.length, budget);
        int promptKept = Math.min(prompt.length, budget - responseKept);
        boolean truncated = responseKept < response.length || promptKept < prompt.length;
        long[] ids = new long[start.length + promptKept + separator.length + responseKept + separator.length];
        long[] types = new long[ids.length];
        int at = put(ids, 0, start);
        at = put(ids, at, Arrays.copyOfRange(prompt, prompt.length - promptKept, prompt.length));
        at = put(ids, at, separator);
        int secondSegment = at;
        at = put(ids, at, Arrays.copyOf(response, responseKept));
        put(ids, at, separator);
        Arrays.fill(types, secondSegment, types.length, 1L);
        return new TokenSequence(ids, types, truncated);
    }

    /** A prompt alone: [CLS] p [SEP], keeping the end of the prompt when it is too long. */
    public TokenSequence promptAlone(long[] prompt) {
        int budget = maxLength - start.length - separator.length;
        int kept = Math.min(prompt.length, budget);
        return single(Arrays.copyOfRange(prompt, prompt.length - kept, prompt.length), kept < prompt.length);
    }

    /** A response alone: [CLS] y [SEP], keeping the start of the response when it is too long. */
    public TokenSequence responseAlone(long[] response) {
        int budget = maxLength - start.length - separator.length;
        int kept = Math.min(response.length, budget);
        return single(Arrays.copyOf(response, kept), kept < response.length);
    }

    private TokenSequence single(long[] text, boolean truncated) {
        long[] ids = new long[start.length + text.length + separator.length];
        int at = put(ids, 0, start);
        at = put(ids, at, text);
        put(ids, at, separator);
        return new TokenSequence(ids, new long[ids.length], truncated);
    }

    private static int put(long[] into, int at, long[] values) {
        System.arraycopy(values, 0, into, at, values.length);
        return at + values.length;
    }
}
