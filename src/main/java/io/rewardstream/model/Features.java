package io.rewardstream.model;

/**
 * Head inputs for a list of (prompt, response) items.
 *
 * @param rows      [items][feature width]
 * @param truncated whether each item's input was cut to the maximum length
 */
public record Features(float[][] rows, boolean[] truncated) {

    public int size() {
        return rows.length;
    }

    public int width() {
        return rows.length == 0 ? 0 : rows[0].length;
    }
}
