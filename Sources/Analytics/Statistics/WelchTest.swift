/// Welch's unequal-variances t-test of treatment − control means; two-sided p-value; difference CI with the Welch–Satterthwaite df.
///
/// - difference = mean_t − mean_c (for `FixedPointMoments` from exact integers, not by subtracting
///   rounded means); standard error √(v_c/n_c + v_t/n_t) with the sample variances (n − 1);
///   t = difference / standard error.
/// - degrees of freedom ν = (v_c/n_c + v_t/n_t)² / ((v_c/n_c)²/(n_c − 1) + (v_t/n_t)²/(n_t − 1)),
///   computed from the shares of the squared standard error so it neither overflows nor underflows.
/// - p = 2·P(T_ν ≤ −|t|); the interval is difference ± t_ν(1 − α/2)·standard error.
/// - One zero variance is fine (ν becomes n − 1 of the other arm); both zero is nil, since then
///   the test is undefined (any nonzero difference would be infinitely significant).
/// - Huge samples only push ν up: the t distribution tends to the normal and stays finite.
public struct WelchTest: Sendable, Equatable {
    /// The control arm's mean.
    public let controlMean: Double
    /// The treatment arm's mean.
    public let treatmentMean: Double
    /// treatmentMean − controlMean.
    public let difference: Double
    /// The t statistic; positive when the treatment mean is higher.
    public let t: Double
    /// The Welch–Satterthwaite degrees of freedom (fractional).
    public let degreesOfFreedom: Double
    /// The two-sided p-value of t.
    public let pValue: Double
    /// The `confidence` interval of `difference`.
    public let differenceInterval: ConfidenceInterval

    /// The test of treatment against control; nil when either count is below 2, both variances
    /// are 0, or confidence is outside (0, 1).
    public init?(control: SampleMoments, treatment: SampleMoments, confidence: Double = 0.95) {
        guard let controlMean = control.mean, let treatmentMean = treatment.mean,
              let controlVariance = control.variance, let treatmentVariance = treatment.variance else { return nil }
        self.init(control: (control.count, controlMean, controlVariance), treatment: (treatment.count, treatmentMean, treatmentVariance),
                  difference: treatmentMean - controlMean, confidence: confidence)
    }

    /// The test on exact fixed-point moments (cost, rating): the variances and the difference of the
    /// means come from exact integers, so large values with a small spread keep every digit and the
    /// result does not depend on how the values were grouped. Nil as for `SampleMoments`, and when a
    /// sum of squares saturated.
    public init?(control: FixedPointMoments, treatment: FixedPointMoments, confidence: Double = 0.95) {
        guard let controlMean = control.mean, let treatmentMean = treatment.mean,
              let controlVariance = control.variance, let treatmentVariance = treatment.variance,
              let difference = FixedPointMoments.differenceOfMeans(treatment, control) else { return nil }
        self.init(control: (control.count, controlMean, controlVariance), treatment: (treatment.count, treatmentMean, treatmentVariance),
                  difference: difference, confidence: confidence)
    }

    private init?(control: (count: Int, mean: Double, variance: Double), treatment: (count: Int, mean: Double, variance: Double),
                  difference: Double, confidence: Double) {
        guard confidence > 0, confidence < 1, control.count >= 2, treatment.count >= 2 else { return nil }
        let controlShare = control.variance / Double(control.count)
        let treatmentShare = treatment.variance / Double(treatment.count)
        let squaredError = controlShare + treatmentShare
        guard squaredError > 0, squaredError.isFinite else { return nil }
        let standardError = squaredError.squareRoot()
        let fc = controlShare / squaredError, ft = treatmentShare / squaredError
        let ν = 1 / (fc * fc / Double(control.count - 1) + ft * ft / Double(treatment.count - 1))

        controlMean = control.mean
        treatmentMean = treatment.mean
        self.difference = difference
        t = difference / standardError
        degreesOfFreedom = ν
        pValue = min(1, 2 * StudentTDistribution.cdf(-abs(t), degreesOfFreedom: ν))
        let critical = -StudentTDistribution.quantile((1 - confidence) / 2, degreesOfFreedom: ν)
        differenceInterval = ConfidenceInterval(lower: difference - critical * standardError,
                                                upper: difference + critical * standardError)
    }
}
