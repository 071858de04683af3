/// count, sum and sum of squares as doubles: moments handed in as such (scipy's, in the tests).
///
/// The logs' moments are `FixedPointMoments`: sums of doubles lose the variance of large values
/// with a small spread, and their last bits depend on the order of the additions.
public struct SampleMoments: Sendable, Equatable {
    /// How many values were added.
    public var count: Int
    /// The sum of the values.
    public var sum: Double
    /// The sum of the squared values.
    public var sumOfSquares: Double

    /// Moments with the given totals (all zero: no values yet).
    public init(count: Int = 0, sum: Double = 0, sumOfSquares: Double = 0) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    /// Adds one value.
    public mutating func add(_ value: Double) {
        count += 1
        sum += value
        sumOfSquares += value * value
    }

    /// The moments of both samples together.
    public static func + (a: SampleMoments, b: SampleMoments) -> SampleMoments {
        SampleMoments(count: a.count + b.count, sum: a.sum + b.sum, sumOfSquares: a.sumOfSquares + b.sumOfSquares)
    }

    /// The arithmetic mean; nil without values.
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    /// The sample variance (divisor n − 1); nil below two values.
    ///
    /// Computed as (Σx² − (Σx)²/n) / (n − 1), which rounding can push a hair below zero when all
    /// values are (nearly) equal: those tiny negatives are clamped to 0.
    public var variance: Double? {
        guard count >= 2 else { return nil }
        let n = Double(count)
        let variance = (sumOfSquares - sum * (sum / n)) / (n - 1)
        return variance > 0 ? variance : 0
    }

    /// The sample standard deviation, the square root of `variance`; nil below two values.
    public var standardDeviation: Double? { variance?.squareRoot() }
}
