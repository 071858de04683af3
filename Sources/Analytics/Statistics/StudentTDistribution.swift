#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t distribution with ν > 0 degrees of freedom (ν need not be an integer: Welch's
/// test uses the fractional Welch–Satterthwaite ν). ν = ∞ is the standard normal.
public enum StudentTDistribution {
    /// P(T ≤ t) for T with `degreesOfFreedom` ν, to about 1e−13 relative.
    ///
    /// Through the regularized incomplete beta function: with x = ν/(ν + t²) and y = t²/(ν + t²),
    /// the tail P(T ≤ −|t|) = ½ I_x(ν/2, ½) and the central part P(0 < T ≤ |t|) = ½ I_y(½, ν/2).
    /// Whichever of the two is small is computed directly (its continued fraction, evaluated by
    /// the modified Lentz method), so tiny p-values and probabilities near ½ both keep their
    /// relative precision. From 1000 degrees of freedom the tail comes from DiDonato and Morris's
    /// asymptotic expansion instead, which stays accurate for ν = 10⁹ (where the normal
    /// approximation is still off by ~10⁻¹⁰). ν ≤ 0 or NaN arguments give NaN.
    public static func cdf(_ t: Double, degreesOfFreedom ν: Double) -> Double {
        guard ν > 0, !t.isNaN else { return .nan }
        if ν == .infinity { return NormalDistribution.cdf(t) }
        let split = split(abs(t), ν)
        return t < 0 ? split.tail : 0.5 + split.central
    }

    /// The inverse of `cdf`: the t with P(T ≤ t) = p, to about 1e−14 relative.
    ///
    /// Exact for ν = 1 (Cauchy) and ν = 2; otherwise Newton's method on the logarithm of the tail
    /// (p < ¼) or of the central part (¼ ≤ p < ½), started from the Cornish–Fisher expansion
    /// around the normal quantile and kept inside a bracket, with bisection when a step would
    /// leave it. The upper half is −quantile(1 − p). quantile(0) = −∞, quantile(1) = ∞, and
    /// quantiles beyond the largest Double are ∓∞; p outside [0, 1], ν ≤ 0 or NaN give NaN.
    public static func quantile(_ p: Double, degreesOfFreedom ν: Double) -> Double {
        guard ν > 0, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        if ν == .infinity { return NormalDistribution.quantile(p) }
        if p > 0.5 { return upperHalfQuantile(1 - p, ν) }
        return -upperHalfQuantile(p, ν)
    }

    /// From here on the tail comes from the asymptotic expansion rather than the continued
    /// fraction, whose dependence on x (within t²/ν of 1) costs it about ν·10⁻¹⁶ relative:
    /// against mpmath both stay within 1e−13 for t ≤ 100 on their sides of 1000.
    static let largeDegreesOfFreedom = 1000.0

    /// The tail P(T ≤ −s) and the central part P(0 < T ≤ s) for s ≥ 0; they add up to ½.
    private static func split(_ s: Double, _ ν: Double) -> (tail: Double, central: Double) {
        if s == 0 { return (0.5, 0) }
        let a = ν / 2, b = 0.5
        // r = s/√ν; x = 1/(1 + r²) and y = r²/(1 + r²), each without cancellation.
        let r = s / ν.squareRoot()
        if r > 1e150 {
            // x < 1e−300: I_x(a, ½) = x^a / (a B(a, ½)) · (1 + O(x)), with log x = −2 log r
            // (x itself would underflow long before the tail does, and r may overflow).
            let logR = log(s) - 0.5 * log(ν)
            let tail = 0.5 * exp(-2 * a * logR - SpecialFunctions.logBeta(a, b)) / a
            return (tail, 0.5 - tail)
        }
        let w = r * r
        let x = 1 / (1 + w)
        let y = w < 1 ? w / (1 + w) : 1 / (1 + 1 / w)
        if y * (a + b + 2) < b + 1 {
            // Small s: the central part's continued fraction converges quickly.
            let central = 0.5 * SpecialFunctions.regularizedIncompleteBeta(a: b, b: a, x: y, y: x)
            return (0.5 - central, central)
        }
        let tail = ν >= largeDegreesOfFreedom
            ? 0.5 * SpecialFunctions.incompleteBetaLargeAHalfB(a: a, x: x, y: y)
            : 0.5 * SpecialFunctions.regularizedIncompleteBeta(a: a, b: b, x: x, y: y)
        return (tail, 0.5 - tail)
    }

    /// The density (1 + t²/ν)^(−(ν+1)/2) / (√ν B(ν/2, ½)).
    static func density(_ t: Double, degreesOfFreedom ν: Double) -> Double {
        let r = abs(t) / ν.squareRoot()
        let logOnePlusSquare = r > 1e150 ? 2 * (log(abs(t)) - 0.5 * log(ν)) : log1p(r * r)
        return exp(-(ν + 1) / 2 * logOnePlusSquare - SpecialFunctions.logBeta(ν / 2, 0.5)) / ν.squareRoot()
    }

    /// The s > 0 with P(T ≤ −s) = p, for 0 < p < ½.
    private static func upperHalfQuantile(_ p: Double, _ ν: Double) -> Double {
        // Closed forms; 0.5 − p and 1 − 2p are exact for p ≥ ¼, so they keep s's digits near p = ½.
        if ν == 1 { return p < 0.25 ? 1 / tan(Double.pi * p) : tan(Double.pi * (0.5 - p)) }
        if ν == 2 { return (1 - 2 * p) / (2 * p * (1 - p)).squareRoot() }

        // F(s) is increasing, F(root) = 0, and F′(s) = density / (the probability it takes the log of).
        let useTail = p < 0.25
        let target = useTail ? log(p) : log(0.5 - p)  // 0.5 − p is exact for p ≥ ¼
        func value(_ s: Double) -> (f: Double, slope: Double) {
            let split = split(s, ν)
            let probability = useTail ? split.tail : split.central
            let f = useTail ? target - log(probability) : log(probability) - target
            return (f, density(s, degreesOfFreedom: ν) / probability)
        }

        // Bracket the root, F(lo) < 0 ≤ F(hi), starting from the Cornish–Fisher estimate.
        let guess = cornishFisher(p, ν)
        var lo = guess, hi = guess
        var current = value(guess)
        if current.f < 0 {
            repeat {
                lo = hi
                hi *= 2
                if !hi.isFinite { return .infinity }  // beyond the largest Double
                current = value(hi)
            } while current.f < 0
        } else {
            repeat {
                hi = lo
                lo /= 2
                current = value(lo)
            } while current.f >= 0 && lo > 0
            current = value(hi)
        }

        // Safeguarded Newton from hi.
        var s = hi
        for _ in 0..<200 {
            if current.f == 0 { return s }
            if current.f > 0 { hi = s } else { lo = s }
            var next = s - current.f / current.slope
            if !next.isFinite || next <= lo || next >= hi { next = lo / 2 + hi / 2 }
            if abs(next - s) <= 2 * Double.ulpOfOne * s || next == lo || next == hi { return next }
            s = next
            current = value(s)
        }
        return s
    }

    /// The Cornish–Fisher expansion of the upper quantile in powers of 1/ν around z = −Φ⁻¹(p);
    /// good for moderate ν, only a (positive) starting point for small ν.
    private static func cornishFisher(_ p: Double, _ ν: Double) -> Double {
        let z = -NormalDistribution.quantile(p)
        guard ν >= 3 else { return max(z, 1) }
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
        let estimate = z + (g1 + (g2 + (g3 + g4 / ν) / ν) / ν) / ν
        return estimate.isFinite && estimate > 0 ? estimate : max(z, 1)
    }
}
