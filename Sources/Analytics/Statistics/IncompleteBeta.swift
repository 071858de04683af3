#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The special functions behind the Student t distribution.
enum SpecialFunctions {
    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) for a, b > 0.
    ///
    /// When an argument is 10 or more the large log Γ terms are not subtracted from each other:
    /// their Stirling forms are combined first (as in R's `lbeta`), so that log B(5e8, 0.5) keeps
    /// full precision instead of losing the nine digits `lgamma(5e8)` carries.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let p = min(a, b), q = max(a, b)
        let halfLogTwoPi = 0.91893853320467274178  // log √(2π)
        if p >= 10 {
            let correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q)
            return -0.5 * log(q) + halfLogTwoPi + correction + (p - 0.5) * log(p / (p + q)) + q * log1p(-p / (p + q))
        } else if q >= 10 {
            let correction = stirlingCorrection(q) - stirlingCorrection(p + q)
            return lgamma(p) + correction + p - p * log(p + q) + (q - 0.5) * log1p(-p / (p + q))
        } else {
            return lgamma(p) + lgamma(q) - lgamma(p + q)
        }
    }

    /// log Γ(x) − [(x − ½) log x − x + log √(2π)] for x ≥ 10: the Stirling series
    /// 1/(12x) − 1/(360x³) + 1/(1260x⁵) − …, whose next term is below 1e−17 there.
    static func stirlingCorrection(_ x: Double) -> Double {
        let r = 1 / x, r2 = r * r
        let series = ((((((1.0 / 156 * r2 - 691.0 / 360360) * r2 + 1.0 / 1188) * r2 - 1.0 / 1680) * r2
            + 1.0 / 1260) * r2 - 1.0 / 360) * r2 + 1.0 / 12)
        return series * r
    }

    /// The regularized incomplete beta function I_x(a, b) for a, b > 0, given x and y = 1 − x
    /// (pass y computed directly when x is near 1: `1 - x` would lose its digits).
    ///
    /// The continued fraction (Numerical Recipes `betacf`, evaluated with the modified Lentz
    /// method) is used where it converges quickly, x < (a + 1)/(a + b + 2); elsewhere
    /// I_x(a, b) = 1 − I_y(b, a). Small results of the direct branch keep full relative precision.
    static func regularizedIncompleteBeta(a: Double, b: Double, x: Double, y: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        if x * (a + b + 2) < a + 1 {
            return incompleteBetaByContinuedFraction(a: a, b: b, x: x, y: y)
        }
        return 1 - incompleteBetaByContinuedFraction(a: b, b: a, x: y, y: x)
    }

    /// x^a y^b / (a B(a, b)) times the continued fraction.
    private static func incompleteBetaByContinuedFraction(a: Double, b: Double, x: Double, y: Double) -> Double {
        let logX = x > 0.5 ? log1p(-y) : log(x)
        let logY = y > 0.5 ? log1p(-x) : log(y)
        let front = exp(a * logX + b * logY - logBeta(a, b)) / a
        guard front > 0 else { return 0 }
        return front * betaContinuedFraction(a: a, b: b, x: x)
    }

    /// The continued fraction 1/(1+ d₁/(1+ d₂/(1+ …))) of I_x(a, b), by the modified Lentz method.
    ///
    /// Near x = (a + 1)/(a + b + 2) it may need O(√max(a, b)) terms, hence a cap that grows with
    /// the parameters; for the t distribution (ν < 1000 here, or a small y) it takes at most ~50.
    private static func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 2 * Double.ulpOfOne
        let maxIterations = 200 + Int(min(10 * max(a, b).squareRoot(), 10_000_000))
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1
        while m <= maxIterations {
            let mm = Double(m), m2 = 2 * mm
            // Even step.
            var aa = mm * (b - mm) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            aa = -(a + mm) * (qab + mm) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= epsilon { break }
            m += 1
        }
        return h
    }

    /// I_x(a, ½) for large a by DiDonato and Morris's asymptotic expansion (BGRAT, ACM TOMS 708,
    /// eqs. 9–9.6 with b = ½), given x and y = 1 − x.
    ///
    /// The continued fraction depends on x itself, and for a = 10⁹ the rounding of an x within
    /// 10⁻⁹ of 1 already moves I_x by ~10⁻⁸. This expansion only needs log x = log1p(−y), which
    /// keeps its digits, and the incomplete gamma function Q(½, u) = erfc(√u).
    static func incompleteBetaLargeAHalfB(a: Double, x: Double, y: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let b = 0.5
        let logX = y < 0.35 ? log1p(-y) : log(x)
        let t = a + (b - 1) / 2
        let u = -t * logX
        // h = u^b e^(−u) / Γ(b); prefix = h Γ(a + b) / (Γ(a) t^b), with Γ(a + b)/Γ(a) = Γ(b)/B(a, b).
        let h = (u / Double.pi).squareRoot() * exp(-u)
        guard h >= Double.leastNormalMagnitude else { return 0 }
        let prefix = (u / t).squareRoot() * exp(-u - logBeta(a, b))
        var j = erfc(u.squareRoot()) / h
        var sum = prefix * j
        // p_n (eq. 9.3) needs all the earlier terms; 30 are far more than the series ever takes.
        var p = [Double](repeating: 0, count: 30)
        p[0] = 1
        let halfLogX = logX / 2
        let halfLogXSquared = halfLogX * halfLogX
        var logXPower = 1.0
        let fourTSquared = 4 * t * t
        var b2n = b
        for n in 1..<p.count {
            var pn = 0.0
            for m in 1..<n {
                pn += (Double(m) * b - Double(n)) * p[n - m] / oddFactorials[m]
            }
            p[n] = pn / Double(n) + (b - 1) / oddFactorials[n]
            // J_n from J_(n−1) (eq. 9.6).
            j = (b2n * (b2n + 1) * j + (u + b2n + 1) * logXPower) / fourTSquared
            logXPower *= halfLogXSquared
            b2n += 2
            let term = prefix * p[n] * j
            sum += term
            if abs(term) <= Double.ulpOfOne * abs(sum) { break }
        }
        return sum
    }

    /// (2m + 1)! for m = 0..<30.
    private static let oddFactorials: [Double] = (0..<30).map { m in
        (1...(2 * m + 1)).reduce(1.0) { $0 * Double($1) }
    }
}
