package io.rewardstream.evaluation;

/**
 * Fits the temperature T that minimises the log loss of sigmoid(gap / T) on pairs whose first response won,
 * by golden-section search over log T in [1e-2, 1e2]. The loss is convex in 1/T, so the search finds the optimum.
 */
public final class TemperatureScaling {

    private static final double LOW = Math.log(1e-2);
    private static final double HIGH = Math.log(1e2);
    private static final double PHI = (Math.sqrt(5) - 1) / 2;

    private TemperatureScaling() {
    }

    /** @param gaps r_w - r_l per pair */
    public static double fit(double[] gaps) {
        if (gaps.length == 0) {
            return 1.0;
        }
        double a = LOW;
        double b = HIGH;
        double c = b - PHI * (b - a);
        double d = a + PHI * (b - a);
        for (int iteration = 0; iteration < 100; iteration++) {
            if (logLoss(gaps, Math.exp(c)) < logLoss(gaps, Math.exp(d))) {
                b = d;
            } else {
                a = c;
            }
            c = b - PHI * (b - a);
            d = a + PHI * (b - a);
        }
        return Math.exp((a + b) / 2);
    }

    /** Mean -log sigmoid(gap / T). */
    public static double logLoss(double[] gaps, double temperature) {
        double sum = 0;
        for (double gap : gaps) {
            double x = -gap / temperature;
            sum += x > 30 ? x : Math.log1p(Math.exp(x));
        }
        return sum / gaps.length;
    }
}
