import Foundation

/// count, sum and sum of squares: mergeable by adding.
public struct SampleMoments: Sendable, Equatable {
    public var count: Int
    public var sum: Double
    public var sumOfSquares: Double

    public init(count: Int = 0, sum: Double = 0, sumOfSquares: Double = 0) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    public mutating func add(_ value: Double) {
        count += 1
        sum += value
        sumOfSquares += value * value
    }

    public static func + (a: SampleMoments, b: SampleMoments) -> SampleMoments {
        SampleMoments(count: a.count + b.count, sum: a.sum + b.sum, sumOfSquares: a.sumOfSquares + b.sumOfSquares)
    }

    public var mean: Double? { count == 0 ? nil : sum / Double(count) }

    /// The sample variance (n − 1); nil below two values. Rounding can make it a hair negative: clamped to 0.
    public var variance: Double? {
        guard count >= 2 else { return nil }
        let n = Double(count)
        return max(0, (sumOfSquares - sum * sum / n) / (n - 1))
    }

    public var standardDeviation: Double? { variance.map { $0.squareRoot() } }
}

public struct ConfidenceInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

public enum NormalDistribution {
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The inverse of `cdf` (Acklam's rational approximation refined by one Halley step: ~1e-15).
    public static func quantile(_ p: Double) -> Double {
        guard p > 0 else { return -.infinity }
        guard p < 1 else { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = tailApproximation(q, c, d)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            let numerator: Double = polynomial(r, a) * q
            let denominator: Double = polynomial(r, b) * r + 1
            x = numerator / denominator
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -tailApproximation(q, c, d)
        }
        // Halley refinement.
        let e = cdf(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// Horner's rule: coefficients from the highest power down.
    private static func polynomial(_ x: Double, _ coefficients: [Double]) -> Double {
        coefficients.reduce(0) { $0 * x + $1 }
    }

    private static func tailApproximation(_ q: Double, _ c: [Double], _ d: [Double]) -> Double {
        let numerator: Double = polynomial(q, c)
        let denominator: Double = polynomial(q, d) * q + 1
        return numerator / denominator
    }

    /// Two-sided p-value of a z statistic.
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }
}

public enum StudentTDistribution {
    public static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: df / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// Two-sided p-value of a t statistic (computed from the tail directly, so tiny values keep their precision).
    public static func twoSidedP(_ t: Double, degreesOfFreedom df: Double) -> Double {
        guard t.isFinite else { return 0 }
        return min(1, regularizedIncompleteBeta(df / (df + t * t), a: df / 2, b: 0.5))
    }

    /// The inverse of `cdf`, by Newton's method from the normal quantile, guarded by bisection.
    public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        guard p > 0 else { return -.infinity }
        guard p < 1 else { return .infinity }
        if p == 0.5 { return 0 }
        var low = -1e6, high = 1e6
        var x = NormalDistribution.quantile(p)
        for _ in 0..<200 {
            let f = cdf(x, degreesOfFreedom: df) - p
            if abs(f) < 1e-15 { break }
            if f > 0 { high = x } else { low = x }
            let density = Self.density(x, degreesOfFreedom: df)
            var next = x - f / density
            if !(next > low && next < high) || !next.isFinite { next = (low + high) / 2 }
            if abs(next - x) < 1e-14 * max(1, abs(x)) {
                x = next
                break
            }
            x = next
        }
        return x
    }

    static func density(_ x: Double, degreesOfFreedom df: Double) -> Double {
        let logNormalizer: Double = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
        let logKernel: Double = -(df + 1) / 2 * log(1 + x * x / df)
        return exp(logNormalizer + logKernel)
    }

    /// I_x(a, b) by its continued fraction (modified Lentz), using the symmetry for convergence.
    static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logBeta + a * log(x) + b * log(1 - x)
        if x > (a + 1) / (a + b + 2) {
            return 1 - exp(logFront) * continuedFraction(1 - x, a: b, b: a) / b
        }
        return exp(logFront) * continuedFraction(x, a: a, b: b) / a
    }

    private static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...10_000 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d
            if abs(d) < tiny { d = tiny }
            c = 1 + even / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d
            if abs(d) < tiny { d = tiny }
            c = 1 + odd / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < 1e-16 { break }
        }
        return result
    }
}

/// The z for a two-sided interval at `confidence` (1.959963984540054 at 0.95).
func criticalZ(_ confidence: Double) -> Double { NormalDistribution.quantile(1 - (1 - confidence) / 2) }

/// Success rate = successes / trials with a Wilson score interval at `confidence`; nil when trials == 0.
/// Unlike the normal approximation it stays inside [0, 1] and is sensible at 0 or all successes.
public func wilsonInterval(successes: Int, trials: Int, confidence: Double = 0.95) -> ConfidenceInterval? {
    guard trials > 0, successes >= 0, successes <= trials else { return nil }
    let n = Double(trials)
    let p = Double(successes) / n
    let z = criticalZ(confidence)
    let z2 = z * z
    let denominator = 1 + z2 / n
    let center = (p + z2 / (2 * n)) / denominator
    let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
    // At 0 or all successes the bound on that side is exactly 0 or 1 (the formula gives it up to rounding).
    return ConfidenceInterval(lower: successes == 0 ? 0 : max(0, center - half), upper: successes == trials ? 1 : min(1, center + half))
}

/// Two-proportion z-test (pooled standard error for z, two-sided p-value); absolute lift
/// = treatment rate − control rate with a `confidence` interval from the unpooled standard
/// error; relative lift = lift / control rate (nil when the control rate is 0).
public struct TwoProportionTest: Sendable, Equatable {
    public let controlRate: Double
    public let treatmentRate: Double
    public let z: Double
    public let pValue: Double
    public let lift: Double
    public let liftInterval: ConfidenceInterval
    public let relativeLift: Double?

    /// Nil when either arm has no trials. When every trial in both arms succeeded (or failed)
    /// there is no evidence of a difference: z = 0, p = 1.
    public init?(controlSuccesses: Int, controlTrials: Int, treatmentSuccesses: Int, treatmentTrials: Int, confidence: Double = 0.95) {
        guard controlTrials > 0, treatmentTrials > 0 else { return nil }
        let n1 = Double(controlTrials), n2 = Double(treatmentTrials)
        let p1 = Double(controlSuccesses) / n1, p2 = Double(treatmentSuccesses) / n2
        let pooled = Double(controlSuccesses + treatmentSuccesses) / (n1 + n2)
        let pooledError = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        controlRate = p1
        treatmentRate = p2
        lift = p2 - p1
        if pooledError > 0 {
            z = lift / pooledError
            pValue = NormalDistribution.twoSidedP(z)
        } else {
            z = 0
            pValue = 1
        }
        let error = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2).squareRoot()
        let margin = criticalZ(confidence) * error
        liftInterval = ConfidenceInterval(lower: lift - margin, upper: lift + margin)
        relativeLift = p1 > 0 ? lift / p1 : nil
    }
}

/// Welch's unequal-variances t-test of treatment − control means: two-sided p-value and a
/// `confidence` interval for the difference with the Welch–Satterthwaite degrees of freedom.
public struct WelchTest: Sendable, Equatable {
    public let controlMean: Double
    public let treatmentMean: Double
    public let difference: Double
    public let t: Double
    public let degreesOfFreedom: Double
    public let pValue: Double
    public let differenceInterval: ConfidenceInterval

    /// Nil when either arm has fewer than two values or both variances are 0 (nothing to test).
    public init?(control: SampleMoments, treatment: SampleMoments, confidence: Double = 0.95) {
        guard let m1 = control.mean, let m2 = treatment.mean, let v1 = control.variance, let v2 = treatment.variance else { return nil }
        let a = v1 / Double(control.count), b = v2 / Double(treatment.count)
        let standardError = (a + b).squareRoot()
        guard standardError > 0 else { return nil }
        controlMean = m1
        treatmentMean = m2
        difference = m2 - m1
        t = difference / standardError
        let df = (a + b) * (a + b) / (a * a / Double(control.count - 1) + b * b / Double(treatment.count - 1))
        degreesOfFreedom = df
        pValue = StudentTDistribution.twoSidedP(t, degreesOfFreedom: df)
        let margin = StudentTDistribution.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: df) * standardError
        differenceInterval = ConfidenceInterval(lower: difference - margin, upper: difference + margin)
    }
}
