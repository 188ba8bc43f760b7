package io.rewardstream.status;

/**
 * Something that happened, marked on the status page's charts and listed under them.
 *
 * @param time   when, in epoch milliseconds
 * @param kind   one of {@link #PROMOTED}, {@link #REJECTED}, {@link #DRIFT}, {@link #FAILED}, {@link #MODEL},
 *               {@link #REFUSED}
 * @param title  a short line, e.g. {@code v3 promoted}
 * @param detail the whole story in words
 */
public record StatusEvent(long time, String kind, String title, String detail) {

    public static final String PROMOTED = "promoted";
    public static final String REJECTED = "rejected";
    public static final String DRIFT = "drift";
    public static final String FAILED = "failed";
    public static final String MODEL = "model";
    public static final String REFUSED = "refused";
}
