package io.rewardstream.scorer.release;

import io.rewardstream.head.FeatureLayout;
import java.util.Locale;

/**
 * Reads the feature layout out of a release's {@code encoder_identity.feature_spec}. The spec starts with the
 * layout name ({@code separate} or {@code joint}); anything after a '/', ':', ';' or space (pooling, width) is
 * informative, for example {@code separate/mean+l2/1152}.
 */
final class ReleaseFeatureSpec {

    static final String POOLING = "mean+l2";

    private ReleaseFeatureSpec() {
    }

    static FeatureLayout layoutOf(String spec) {
        String head = spec == null ? "" : spec.trim().split("[/:; ]", 2)[0].toLowerCase(Locale.ROOT);
        for (FeatureLayout layout : FeatureLayout.values()) {
            if (layout.manifestName().equals(head)) {
                return layout;
            }
        }
        throw new IllegalArgumentException("feature_spec '" + spec + "' does not start with a known layout"
                + " (separate or joint)");
    }
}
