import Analytics
import Foundation
import Testing

/// The statistics against values computed by scipy, not by this code: scripts/statistics-fixtures.py
/// writes them to Fixtures/statistics.json (scipy.stats.norm and .t; the Wilson and z-test formulas
/// with scipy.stats.norm; scipy.stats.ttest_ind(equal_var=False) on generated samples whose moments
/// it also writes, and ttest_ind_from_stats for samples of a billion).
///
/// Tolerance: 1e-9 relative for every value, tiny p-values included (p = 1.9e-17 must match to
/// nine digits, not merely be "below 1e-12"). The only absolute tolerance, 1e-15, is for
/// differences of O(1) quantities (z, t, lift, mean difference and their interval bounds), which
/// can be 0 or land within rounding of it. The normal quantile is held to 1e-12 relative.
@Suite struct StatisticsTests {
    // MARK: Fixtures

    struct Fixtures: Decodable {
        struct NormalCDF: Decodable { let x: Double, p: Double }
        struct NormalQuantile: Decodable { let p: Double, x: Double }
        struct Normal: Decodable { let cdf: [NormalCDF], quantile: [NormalQuantile] }
        struct TCDF: Decodable { let t: Double, df: Double, p: Double }
        struct TQuantile: Decodable { let p: Double, df: Double, t: Double }
        struct StudentT: Decodable { let cdf: [TCDF], quantile: [TQuantile] }
        struct Wilson: Decodable { let successes: Int, trials: Int, confidence: Double, lower: Double, upper: Double }
        struct TwoProportion: Decodable {
            let controlSuccesses: Int, controlTrials: Int, treatmentSuccesses: Int, treatmentTrials: Int
            let confidence: Double, controlRate: Double, treatmentRate: Double, z: Double, pValue: Double
            let lift: Double, liftLower: Double, liftUpper: Double, relativeLift: Double?
        }
        struct Moments: Decodable {
            let count: Int, sum: Double, sumOfSquares: Double
            var value: SampleMoments { SampleMoments(count: count, sum: sum, sumOfSquares: sumOfSquares) }
        }
        struct Welch: Decodable {
            let name: String, control: Moments, treatment: Moments, confidence: Double
            let controlMean: Double, treatmentMean: Double, difference: Double, t: Double
            let degreesOfFreedom: Double, pValue: Double, lower: Double, upper: Double
        }
        let normal: Normal
        let studentT: StudentT
        let wilson: [Wilson]
        let twoProportion: [TwoProportion]
        let welch: [Welch]
    }

    static func fixtures() throws -> Fixtures {
        let url = try #require(Bundle.module.url(forResource: "statistics", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }

    /// |actual − expected| ≤ relative·|expected|, or ≤ absolute.
    static func close(_ actual: Double?, _ expected: Double, relative: Double = 1e-9, absolute: Double = 0) -> Bool {
        guard let actual else { return false }
        let error = abs(actual - expected)
        return error <= relative * abs(expected) || error <= absolute
    }

    /// The absolute tolerance for differences of O(1) quantities.
    static let difference = 1e-15

    // MARK: Normal distribution

    @Test func normalCDFMatchesScipy() throws {
        let cases = try Self.fixtures().normal.cdf
        #expect(cases.count >= 10)
        for c in cases {
            let p = NormalDistribution.cdf(c.x)
            #expect(Self.close(p, c.p), "cdf(\(c.x)) = \(p), scipy \(c.p)")
        }
    }

    @Test func normalQuantileMatchesScipyToTwelveDigits() throws {
        let cases = try Self.fixtures().normal.quantile
        #expect(cases.count >= 10)
        for c in cases {
            let x = NormalDistribution.quantile(c.p)
            #expect(Self.close(x, c.x, relative: 1e-12), "quantile(\(c.p)) = \(x), scipy \(c.x)")
        }
    }

    @Test func normalByHand() {
        #expect(abs(NormalDistribution.quantile(0.975) - 1.959963984540054) < 1e-15)
        #expect(NormalDistribution.quantile(0.5) == 0)
        #expect(NormalDistribution.quantile(0.25) == -NormalDistribution.quantile(0.75))
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
        #expect(NormalDistribution.cdf(0) == 0.5)
        #expect(NormalDistribution.cdf(-.infinity) == 0)
        #expect(NormalDistribution.cdf(.infinity) == 1)
        // The round trip, tails included.
        for p in [1e-250, 1e-12, 0.01, 0.2, 0.5 - 1e-12, 0.7, 0.999] {
            #expect(Self.close(NormalDistribution.cdf(NormalDistribution.quantile(p)), p, relative: 1e-12), "p = \(p)")
        }
    }

    // MARK: Student t distribution

    @Test func studentTCDFMatchesScipy() throws {
        let cases = try Self.fixtures().studentT.cdf
        #expect(Set(cases.map(\.df)).isSuperset(of: [1, 2.5, 10, 100]))
        for c in cases {
            let p = StudentTDistribution.cdf(c.t, degreesOfFreedom: c.df)
            #expect(Self.close(p, c.p), "cdf(\(c.t), df \(c.df)) = \(p), scipy \(c.p)")
        }
    }

    @Test func studentTQuantileMatchesScipy() throws {
        let cases = try Self.fixtures().studentT.quantile
        #expect(Set(cases.map(\.df)).isSuperset(of: [1, 2.5, 10, 100]))
        for c in cases {
            let t = StudentTDistribution.quantile(c.p, degreesOfFreedom: c.df)
            #expect(Self.close(t, c.t), "quantile(\(c.p), df \(c.df)) = \(t), scipy \(c.t)")
        }
    }

    @Test func studentTByHand() {
        // Cauchy (df 1): F(t) = ½ + atan(t)/π. df 2: t = (2p − 1)/√(2p(1 − p)).
        #expect(abs(StudentTDistribution.cdf(1, degreesOfFreedom: 1) - 0.75) < 1e-15)
        #expect(abs(StudentTDistribution.quantile(0.75, degreesOfFreedom: 1) - 1) < 1e-15)
        #expect(abs(StudentTDistribution.quantile(0.975, degreesOfFreedom: 2) - 0.95 / (2 * 0.975 * 0.025).squareRoot()) < 1e-14)
        #expect(StudentTDistribution.cdf(0, degreesOfFreedom: 7.5) == 0.5)
        #expect(StudentTDistribution.quantile(0.5, degreesOfFreedom: 7.5) == 0)
        #expect(StudentTDistribution.quantile(0, degreesOfFreedom: 3) == -.infinity)
        #expect(StudentTDistribution.quantile(1, degreesOfFreedom: 3) == .infinity)
        #expect(StudentTDistribution.cdf(2, degreesOfFreedom: .infinity) == NormalDistribution.cdf(2))
        #expect(StudentTDistribution.cdf(1, degreesOfFreedom: 0).isNaN)
        #expect(StudentTDistribution.quantile(0.3, degreesOfFreedom: -1).isNaN)
        // Heavier tails than the normal, converging to it as df grows. At a billion df the gap is
        // still visible and matches its first-order term, φ(t)(t³ + t)/(4ν) = 1.35e-10 at t = 2
        // (the next term is ~1e-19): the cdf has not collapsed onto the normal.
        #expect(StudentTDistribution.cdf(-2, degreesOfFreedom: 30) > NormalDistribution.cdf(-2))
        let gap = StudentTDistribution.cdf(-2, degreesOfFreedom: 1e9) - NormalDistribution.cdf(-2)
        let firstOrder = exp(-2.0) / (2 * Double.pi).squareRoot() * 10 / 4e9
        #expect(Self.close(gap, firstOrder, relative: 1e-4), "gap \(gap), first-order term \(firstOrder)")
        // Round trips across the regimes (continued fraction, asymptotic expansion, far tails).
        for df in [0.5, 3, 17.25, 999, 1000, 5e5, 1e12] {
            for p in [1e-200, 1e-9, 0.02, 0.3, 0.5 - 1e-9, 0.8, 0.999] {
                let t = StudentTDistribution.quantile(p, degreesOfFreedom: df)
                guard t.isFinite else {
                    #expect(df < 1 && p == 1e-200, "only a quantile beyond the largest Double is infinite")
                    continue
                }
                // 1e-10: far out, the cdf magnifies the quantile's 1e-14 by up to ~ν.
                #expect(Self.close(StudentTDistribution.cdf(t, degreesOfFreedom: df), p, relative: 1e-10), "df \(df), p \(p)")
            }
        }
    }

    // MARK: Wilson interval

    @Test func wilsonMatchesScipy() throws {
        let cases = try Self.fixtures().wilson
        #expect(cases.count >= 10)
        for c in cases {
            let interval = try #require(wilsonInterval(successes: c.successes, trials: c.trials, confidence: c.confidence))
            #expect(Self.close(interval.lower, c.lower), "\(c.successes)/\(c.trials) at \(c.confidence): lower \(interval.lower), scipy \(c.lower)")
            #expect(Self.close(interval.upper, c.upper), "\(c.successes)/\(c.trials) at \(c.confidence): upper \(interval.upper), scipy \(c.upper)")
        }
    }

    @Test func wilsonEdgeCases() throws {
        #expect(wilsonInterval(successes: 0, trials: 0) == nil)
        #expect(wilsonInterval(successes: 3, trials: 2) == nil)
        #expect(wilsonInterval(successes: -1, trials: 10) == nil)
        #expect(wilsonInterval(successes: 1, trials: 10, confidence: 1) == nil)
        #expect(wilsonInterval(successes: 1, trials: 10, confidence: 0) == nil)

        let none = try #require(wilsonInterval(successes: 0, trials: 10))
        #expect(none.lower == 0)
        #expect(none.upper > 0 && none.upper < 1)
        let all = try #require(wilsonInterval(successes: 10, trials: 10))
        #expect(all.upper == 1)
        #expect(all.lower > 0 && all.lower < 1)
        // 0/n and n/n mirror each other.
        #expect(abs(none.upper - (1 - all.lower)) < 1e-15)
        // The default confidence is 0.95; a higher one widens the interval.
        #expect(wilsonInterval(successes: 8, trials: 10) == wilsonInterval(successes: 8, trials: 10, confidence: 0.95))
        let wide = try #require(wilsonInterval(successes: 8, trials: 10, confidence: 0.99))
        let narrow = try #require(wilsonInterval(successes: 8, trials: 10))
        #expect(wide.lower < narrow.lower && wide.upper > narrow.upper)

        // Huge n: finite, inside [0, 1], around the rate; a rate of 1e-12 keeps its digits
        // (the bounds' product is s²/(n(n + z²)), here 1e-24 to 1e-9).
        let n = 1_000_000_000_000
        for s in [1, 480_000_000_000, n - 1] {
            let interval = try #require(wilsonInterval(successes: s, trials: n))
            let rate = Double(s) / Double(n)
            #expect(interval.lower.isFinite && interval.upper.isFinite)
            #expect(0 <= interval.lower && interval.lower < rate && rate < interval.upper && interval.upper <= 1)
        }
        let one = try #require(wilsonInterval(successes: 1, trials: n))
        let z2 = 1.959963984540054 * 1.959963984540054, nd = Double(n)
        #expect(Self.close(one.lower * one.upper, 1 / (nd * (nd + z2)), relative: 1e-12))
    }

    // MARK: Two-proportion z-test

    @Test func twoProportionMatchesScipy() throws {
        let cases = try Self.fixtures().twoProportion
        #expect(cases.count >= 10)
        #expect(cases.contains { $0.pValue < 1e-6 }, "a clear difference")
        #expect(cases.contains { $0.pValue > 0.5 }, "no difference")
        for c in cases {
            let name = "\(c.controlSuccesses)/\(c.controlTrials) vs \(c.treatmentSuccesses)/\(c.treatmentTrials)"
            let test = try #require(TwoProportionTest(controlSuccesses: c.controlSuccesses, controlTrials: c.controlTrials,
                                                      treatmentSuccesses: c.treatmentSuccesses, treatmentTrials: c.treatmentTrials,
                                                      confidence: c.confidence))
            #expect(Self.close(test.controlRate, c.controlRate), "\(name): control rate")
            #expect(Self.close(test.treatmentRate, c.treatmentRate), "\(name): treatment rate")
            #expect(Self.close(test.z, c.z, absolute: Self.difference), "\(name): z \(test.z), scipy \(c.z)")
            #expect(Self.close(test.pValue, c.pValue), "\(name): p \(test.pValue), scipy \(c.pValue)")
            #expect(Self.close(test.lift, c.lift, absolute: Self.difference), "\(name): lift")
            #expect(Self.close(test.liftInterval.lower, c.liftLower, absolute: Self.difference), "\(name): lift lower \(test.liftInterval.lower), scipy \(c.liftLower)")
            #expect(Self.close(test.liftInterval.upper, c.liftUpper, absolute: Self.difference), "\(name): lift upper \(test.liftInterval.upper), scipy \(c.liftUpper)")
            if let relativeLift = c.relativeLift {
                #expect(Self.close(test.relativeLift, relativeLift, absolute: Self.difference), "\(name): relative lift")
            } else {
                #expect(test.relativeLift == nil, "\(name): no relative lift without control successes")
            }
        }
    }

    @Test func twoProportionEdgeCases() throws {
        #expect(TwoProportionTest(controlSuccesses: 0, controlTrials: 0, treatmentSuccesses: 5, treatmentTrials: 10) == nil)
        #expect(TwoProportionTest(controlSuccesses: 5, controlTrials: 10, treatmentSuccesses: 0, treatmentTrials: 0) == nil)
        #expect(TwoProportionTest(controlSuccesses: 11, controlTrials: 10, treatmentSuccesses: 5, treatmentTrials: 10) == nil)
        #expect(TwoProportionTest(controlSuccesses: 5, controlTrials: 10, treatmentSuccesses: 5, treatmentTrials: 10, confidence: 1.2) == nil)

        // Pooled rate 0 or 1: no evidence either way.
        for (cs, ts) in [(0, 0), (40, 60)] {
            let test = try #require(TwoProportionTest(controlSuccesses: cs, controlTrials: 40, treatmentSuccesses: ts, treatmentTrials: 60))
            #expect(test.z == 0 && test.pValue == 1 && test.lift == 0)
            #expect(test.liftInterval == ConfidenceInterval(lower: 0, upper: 0))
        }

        // Swapping the arms mirrors the statistics.
        let forward = try #require(TwoProportionTest(controlSuccesses: 70, controlTrials: 100, treatmentSuccesses: 85, treatmentTrials: 100))
        let backward = try #require(TwoProportionTest(controlSuccesses: 85, controlTrials: 100, treatmentSuccesses: 70, treatmentTrials: 100))
        #expect(forward.z == -backward.z && forward.pValue == backward.pValue && forward.lift == -backward.lift)
        #expect(forward.liftInterval.lower == -backward.liftInterval.upper)
        #expect(forward.relativeLift.map { abs($0 - 0.15 / 0.7) < 1e-15 } == true)

        // Huge n: a tiny lift becomes overwhelming evidence, p underflows towards 0 but stays a number.
        let huge = try #require(TwoProportionTest(controlSuccesses: 4_000_000_000_000, controlTrials: 10_000_000_000_000,
                                                  treatmentSuccesses: 4_100_000_000_000, treatmentTrials: 10_000_000_000_000))
        #expect(huge.z.isFinite && huge.z > 100)
        #expect(huge.pValue >= 0 && huge.pValue < 1e-300)
        #expect(huge.liftInterval.contains(huge.lift))
    }

    // MARK: Welch's t-test

    @Test func welchMatchesScipy() throws {
        let cases = try Self.fixtures().welch
        #expect(cases.count >= 10)
        for c in cases {
            let test = try #require(WelchTest(control: c.control.value, treatment: c.treatment.value, confidence: c.confidence), "\(c.name)")
            #expect(Self.close(test.controlMean, c.controlMean), "\(c.name): control mean")
            #expect(Self.close(test.treatmentMean, c.treatmentMean), "\(c.name): treatment mean")
            #expect(Self.close(test.difference, c.difference, absolute: Self.difference), "\(c.name): difference")
            #expect(Self.close(test.t, c.t, absolute: Self.difference), "\(c.name): t \(test.t), scipy \(c.t)")
            #expect(Self.close(test.degreesOfFreedom, c.degreesOfFreedom), "\(c.name): df \(test.degreesOfFreedom), scipy \(c.degreesOfFreedom)")
            #expect(Self.close(test.pValue, c.pValue), "\(c.name): p \(test.pValue), scipy \(c.pValue)")
            #expect(Self.close(test.differenceInterval.lower, c.lower, absolute: Self.difference), "\(c.name): lower \(test.differenceInterval.lower), scipy \(c.lower)")
            #expect(Self.close(test.differenceInterval.upper, c.upper, absolute: Self.difference), "\(c.name): upper \(test.differenceInterval.upper), scipy \(c.upper)")
        }
    }

    @Test func welchEdgeCases() throws {
        var one = SampleMoments(), spread = SampleMoments(), flat = SampleMoments(), flat2 = SampleMoments()
        one.add(3)
        for value in [1.0, 2, 4, 5, 8] { spread.add(value) }
        for _ in 0..<6 { flat.add(4) }
        for _ in 0..<9 { flat2.add(5) }
        #expect(WelchTest(control: one, treatment: spread) == nil, "one value has no variance")
        #expect(WelchTest(control: SampleMoments(), treatment: spread) == nil)
        #expect(WelchTest(control: flat, treatment: flat2) == nil, "both variances 0: undefined")
        #expect(WelchTest(control: spread, treatment: spread, confidence: 1) == nil)

        // A single zero variance: the df is the other arm's n − 1.
        let zero = try #require(WelchTest(control: flat, treatment: spread))
        #expect(abs(zero.degreesOfFreedom - 4) < 1e-12)
        #expect(zero.pValue > 0 && zero.pValue <= 1)

        // Identical samples: t = 0, p = 1, an interval symmetric around 0.
        let same = try #require(WelchTest(control: spread, treatment: spread))
        #expect(same.t == 0 && same.pValue == 1 && same.difference == 0)
        #expect(same.differenceInterval.lower == -same.differenceInterval.upper)

        // Swapping the arms mirrors t and keeps p.
        let forward = try #require(WelchTest(control: flat, treatment: spread))
        let backward = try #require(WelchTest(control: spread, treatment: flat))
        #expect(forward.t == -backward.t && forward.pValue == backward.pValue && forward.degreesOfFreedom == backward.degreesOfFreedom)

        // Huge n (10¹⁵ each): the t distribution is all but normal; everything stays finite.
        let n = 1_000_000_000_000_000, nd = Double(n)
        let control = SampleMoments(count: n, sum: 3.5 * nd, sumOfSquares: (nd - 1) * 1.2 + nd * 3.5 * 3.5)
        let treatment = SampleMoments(count: n, sum: 3.500001 * nd, sumOfSquares: (nd - 1) * 1.0 + nd * 3.500001 * 3.500001)
        let huge = try #require(WelchTest(control: control, treatment: treatment))
        #expect(huge.degreesOfFreedom.isFinite && huge.degreesOfFreedom > 1e15)
        #expect(huge.t.isFinite && huge.pValue.isFinite && huge.pValue >= 0 && huge.pValue <= 1)
        #expect(Self.close(huge.pValue, 2 * NormalDistribution.cdf(-abs(huge.t)), relative: 1e-9))
        #expect(huge.differenceInterval.contains(huge.difference))
    }

    // MARK: Sample moments

    @Test func sampleMomentsMergeByAdding() {
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        var whole = SampleMoments()
        var parts = [SampleMoments(), SampleMoments(), SampleMoments()]
        for (index, value) in values.enumerated() {
            whole.add(value)
            parts[index % 3].add(value)
        }
        #expect(parts[0] + parts[1] + parts[2] == whole)
        #expect((parts[0] + parts[1]) + parts[2] == parts[0] + (parts[1] + parts[2]))
        #expect(whole + SampleMoments() == whole)
        #expect(whole == SampleMoments(count: 8, sum: 40, sumOfSquares: 232))
        #expect(whole.mean == 5)
        #expect(abs(whole.variance! - 32.0 / 7) < 1e-15)
        #expect(abs(whole.standardDeviation! - (32.0 / 7).squareRoot()) < 1e-15)
    }

    @Test func sampleMomentsEdgeCases() {
        let empty = SampleMoments()
        #expect(empty.mean == nil && empty.variance == nil && empty.standardDeviation == nil)
        var single = SampleMoments()
        single.add(3.25)
        #expect(single.mean == 3.25 && single.variance == nil && single.standardDeviation == nil)
        // Equal values whose sums round: Σx² − (Σx)²/n comes out a hair negative and is clamped.
        var equal = SampleMoments()
        for _ in 0..<7 { equal.add(0.7) }
        let raw = (equal.sumOfSquares - equal.sum * (equal.sum / 7)) / 6
        #expect(raw < 0, "the rounding this test is about")
        #expect(equal.variance.map { $0 >= 0 && $0 < 1e-15 } == true)
        #expect(equal.standardDeviation.map { !$0.isNaN } == true)
    }
}
