package io.rewardstream.data;

/** A line of an input file that cannot be used: where it is and why. */
public record InputError(String file, long line, String reason) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
