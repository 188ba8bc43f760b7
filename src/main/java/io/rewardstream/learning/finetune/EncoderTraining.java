package io.rewardstream.learning.finetune;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which part of the encoder a run trains: none of it ({@code frozen}), its top N transformer layers with the
 * layers below computed once and cached ({@code top-N}), or every parameter ({@code full}).
 *
 * @param kind      what trains
 * @param topLayers the number of trained layers for {@link Kind#TOP}, 0 otherwise
 */
public record EncoderTraining(Kind kind, int topLayers) {

    /** The forms {@link #parse} accepts, for messages. */
    public static final String FORMS = "frozen, full, top-N (N >= 1)";

    private static final Pattern TOP = Pattern.compile("top-([0-9]{1,3})");

    /** What trains. */
    public enum Kind { FROZEN, TOP, FULL }

    /** @throws IllegalArgumentException for a negative or misplaced layer count */
    public EncoderTraining {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (kind == Kind.TOP ? topLayers < 1 : topLayers != 0) {
            throw new IllegalArgumentException(kind == Kind.TOP ? "top-N needs N >= 1, got " + topLayers
                    : kind + " takes no layer count, got " + topLayers);
        }
    }

    public static EncoderTraining frozen() {
        return new EncoderTraining(Kind.FROZEN, 0);
    }

    public static EncoderTraining full() {
        return new EncoderTraining(Kind.FULL, 0);
    }

    public static EncoderTraining top(int layers) {
        return new EncoderTraining(Kind.TOP, layers);
    }

    /**
     * Reads {@code frozen}, {@code full} or {@code top-N}.
     *
     * @throws IllegalArgumentException for anything else, naming the accepted forms
     */
    public static EncoderTraining parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("frozen")) {
            return frozen();
        }
        if (t.equals("full")) {
            return full();
        }
        Matcher top = TOP.matcher(t);
        if (top.matches() && Integer.parseInt(top.group(1)) >= 1) {
            return top(Integer.parseInt(top.group(1)));
        }
        throw new IllegalArgumentException("encoder training '" + text + "' is not one of " + FORMS);
    }

    /** The text {@link #parse} reads back into this value. */
    public String label() {
        return switch (kind) {
            case FROZEN -> "frozen";
            case FULL -> "full";
            case TOP -> "top-" + topLayers;
        };
    }

    /**
     * The first layer that trains in an encoder of {@code layers} layers: 0 for a full run, {@code layers} when
     * frozen.
     *
     * @throws IllegalArgumentException when top-N asks for more layers than the encoder has
     */
    int firstTrainedLayer(int layers) {
        return switch (kind) {
            case FROZEN -> layers;
            case FULL -> 0;
            case TOP -> {
                if (topLayers > layers) {
                    throw new IllegalArgumentException(label() + " asks for more layers than the encoder's " + layers);
                }
                yield layers - topLayers;
            }
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
