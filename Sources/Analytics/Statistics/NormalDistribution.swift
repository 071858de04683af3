#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution N(0, 1).
public enum NormalDistribution {
    /// P(Z ≤ x), through `erfc` so that the lower tail keeps full relative precision
    /// (cdf(−30) ≈ 4.9e−198, not 0). cdf(−∞) = 0, cdf(∞) = 1; NaN gives NaN.
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The density φ(x) = exp(−x²/2) / √(2π).
    static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// The inverse of `cdf`: the x with P(Z ≤ x) = p, to about 1e−15 relative (near p = ½ too;
    /// for subnormal p, below 2.2e−308, Acklam's 1e−9).
    ///
    /// Acklam's rational approximation (relative error below 1.2e−9) refined by one Halley step
    /// on `erfc`. The upper half is computed as −quantile(1 − p) (1 − p is exact there), so both
    /// tails are refined where `cdf` has full relative precision. quantile(0) = −∞,
    /// quantile(1) = ∞; p outside [0, 1] or NaN gives NaN.
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p > 0.5 { return -lowerQuantile(1 - p) }
        return lowerQuantile(p)
    }

    /// The two-sided critical value: the z with P(|Z| ≤ z) = `confidence` (1.959963984540054 for
    /// 0.95); nil unless 0 < confidence < 1. Computed as −quantile((1 − c)/2): for c ≥ ½ that
    /// argument is exact, where 1 − (1 − c)/2 would be rounded.
    static func criticalValue(confidence: Double) -> Double? {
        guard confidence > 0, confidence < 1 else { return nil }
        return -quantile((1 - confidence) / 2)
    }

    /// The quantile for 0 < p ≤ 0.5.
    private static func lowerQuantile(_ p: Double) -> Double {
        var x = p < acklamLowBreak ? acklamTail(p) : acklamCentral(p)
        // One Halley step for f(x) = cdf(x) − p: x −= u / (1 + x·u/2) with u = f(x)/φ(x).
        let density = density(x)
        guard density >= Double.leastNormalMagnitude else { return x }  // φ(x) subnormal: Acklam's value stands.
        // Near the centre cdf(x) − p is formed as ½erf(x/√2) − (p − ½), both exact-ish (p − ½ is
        // exact for p ≥ ¼), so small quantiles keep their relative precision too.
        let residual = p < 0.25 ? cdf(x) - p : 0.5 * erf(x / 2.0.squareRoot()) - (p - 0.5)
        let u = residual / density
        if u.isFinite { x -= u / (1 + x * u / 2) }
        return x
    }

    private static let acklamLowBreak = 0.02425

    /// Acklam's central region, acklamLowBreak ≤ p ≤ 1 − acklamLowBreak.
    private static func acklamCentral(_ p: Double) -> Double {
        let q = p - 0.5
        let r = q * q
        let numerator = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
            + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
        let denominator = ((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
            + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1
        return numerator / denominator
    }

    /// Acklam's lower tail, 0 < p < acklamLowBreak.
    private static func acklamTail(_ p: Double) -> Double {
        let q = (-2 * log(p)).squareRoot()
        let numerator = ((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
            - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00
        let denominator = (((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
            + 3.754408661907416e+00) * q + 1
        return numerator / denominator
    }
}
