/// Success rate = successes / trials with a Wilson score interval at `confidence` (default 0.95). nil when trials == 0.
///
/// The bounds are the two roots p of (n + z²)p² − (2s + z²)p + s²/n = 0, z the two-sided normal
/// critical value. The upper root is computed directly and the lower one as their product divided
/// by the upper, (s²/n) / ((n + z²)·upper), so a rate like 1/10⁹ keeps all its digits.
/// 0 successes give a lower bound of exactly 0 and all successes an upper bound of exactly 1; the
/// interval always lies in [0, 1] and contains the observed rate.
/// Also nil when trials < 0, successes is outside 0...trials, or confidence is outside (0, 1).
public func wilsonInterval(successes: Int, trials: Int, confidence: Double = 0.95) -> ConfidenceInterval? {
    guard trials > 0, successes >= 0, successes <= trials,
          let z = NormalDistribution.criticalValue(confidence: confidence) else { return nil }
    let n = Double(trials), s = Double(successes), f = Double(trials - successes)
    let z2 = z * z
    let a = n + z2
    // b² − 4ac = z²(4s(n − s)/n + z²): no cancellation.
    let root = z * (4 * s * (f / n) + z2).squareRoot()
    let upper = successes == trials ? 1 : min(1, (2 * s + z2 + root) / (2 * a))
    let lower = successes == 0 ? 0 : max(0, (s * (s / n)) / (a * upper))
    return ConfidenceInterval(lower: lower, upper: upper)
}
