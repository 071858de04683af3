#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two-proportion z-test (pooled standard error for z; two-sided p-value), absolute lift = treatment rate − control rate
/// with a `confidence` interval from the unpooled standard error; relative lift = lift / control rate (nil when control rate is 0).
///
/// - z = (p_t − p_c) / √(p̂(1 − p̂)(1/n_c + 1/n_t)), p̂ the pooled rate; p = 2·(1 − Φ(|z|)),
///   computed as erfc(|z|/√2) so that tiny p-values keep their precision.
/// - When the pooled rate is 0 or 1 (no successes, or no failures, in either arm) the arms cannot
///   differ: z = 0 and p = 1, no evidence.
/// - The lift interval is the Wald interval lift ± z_c·√(p_c(1 − p_c)/n_c + p_t(1 − p_t)/n_t),
///   clipped to [−1, 1] (the range of a difference of rates). When both rates are 0 or 1 its
///   standard error is 0 and the interval is the single point `lift`.
public struct TwoProportionTest: Sendable, Equatable {
    /// controlSuccesses / controlTrials.
    public let controlRate: Double
    /// treatmentSuccesses / treatmentTrials.
    public let treatmentRate: Double
    /// The z statistic with the pooled standard error; positive when the treatment rate is higher.
    public let z: Double
    /// The two-sided p-value of z.
    public let pValue: Double
    /// treatmentRate − controlRate.
    public let lift: Double
    /// The `confidence` interval of `lift`, from the unpooled standard error.
    public let liftInterval: ConfidenceInterval
    /// lift / controlRate; nil when the control rate is 0.
    public let relativeLift: Double?

    /// The test of treatment against control; nil when either trials is 0 (or negative), either
    /// successes is outside 0...trials, or confidence is outside (0, 1).
    public init?(controlSuccesses: Int, controlTrials: Int, treatmentSuccesses: Int, treatmentTrials: Int, confidence: Double = 0.95) {
        guard controlTrials > 0, treatmentTrials > 0,
              (0...controlTrials).contains(controlSuccesses), (0...treatmentTrials).contains(treatmentSuccesses),
              let critical = NormalDistribution.criticalValue(confidence: confidence) else { return nil }
        let nc = Double(controlTrials), nt = Double(treatmentTrials)
        let pc = Double(controlSuccesses) / nc, pt = Double(treatmentSuccesses) / nt
        controlRate = pc
        treatmentRate = pt
        lift = pt - pc
        relativeLift = controlSuccesses == 0 ? nil : lift / pc

        // The pooled rate from the counts; failures counted separately so 1 − p̂ has no cancellation.
        let total = nc + nt
        let pooled = (Double(controlSuccesses) + Double(treatmentSuccesses)) / total
        let pooledFailures = (Double(controlTrials - controlSuccesses) + Double(treatmentTrials - treatmentSuccesses)) / total
        let pooledError = (pooled * pooledFailures * (1 / nc + 1 / nt)).squareRoot()
        if pooledError > 0 {
            z = lift / pooledError
            pValue = min(1, erfc(abs(z) / 2.0.squareRoot()))
        } else {
            z = 0
            pValue = 1
        }

        let qc = Double(controlTrials - controlSuccesses) / nc, qt = Double(treatmentTrials - treatmentSuccesses) / nt
        let unpooledError = (pc * qc / nc + pt * qt / nt).squareRoot()
        liftInterval = ConfidenceInterval(lower: max(-1, lift - critical * unpooledError),
                                          upper: min(1, lift + critical * unpooledError))
    }
}
