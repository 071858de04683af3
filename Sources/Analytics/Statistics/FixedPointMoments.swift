/// count, sum and sum of squares of values in millionths (fixed point), as exact integers: cost,
/// rating and latency moments, for Welch's t-test and the means.
///
/// Sums of doubles lose what matters when the values are large and vary little (costs around
/// $1,000,000 with cents of spread: Σx² − (Σx)²/n cancels every digit of the variance), and
/// their last bits depend on the order and grouping of the additions (chunks, cached tails,
/// several files). Here every value is rounded once to an integer number of millionths, the sums
/// are exact in 128 bits, and the mean, the variance and a difference of means are derived from
/// the exact integers (n·Σx² − (Σx)² in 256 bits) — the same in any merge order, to the bit.
///
/// Σx of 64-bit values cannot overflow 128 bits (fewer than 2⁶³ values of less than 2⁶³); Σx²
/// can, with more than ~10⁸ costs of $10⁹: it saturates, and a saturated sum of squares has no
/// variance (no test) instead of a wrong one. Sums of squares are never negative, so saturating
/// gives the same result in any order.
public struct FixedPointMoments: Sendable, Equatable {
    /// Units per 1: values are stored in millionths.
    public static let scale: Int64 = 1_000_000

    /// How many values were added.
    public private(set) var count: Int
    /// The sum of the values, in millionths.
    public private(set) var sum: Int128
    /// The sum of the squared values, in millionths squared; `Int128.max` when it saturated.
    public private(set) var sumOfSquares: Int128

    /// Moments with the given totals (all zero: no values yet); nil when they cannot be the
    /// moments of any values (negative count or sum of squares, or a sum whose square exceeds
    /// n·Σx²) — what the cache or a database hands back is checked, never trusted.
    public init?(count: Int, sum: Int128, sumOfSquares: Int128) {
        guard count >= 0, sumOfSquares >= 0, count > 0 || (sum == 0 && sumOfSquares == 0) else { return nil }
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        if !isSaturated, Self.spread(count: count, sum: sum, sumOfSquares: sumOfSquares).negative { return nil }
    }

    /// No values.
    public init() {
        count = 0
        sum = 0
        sumOfSquares = 0
    }

    /// `value` in millionths, rounded to the nearest (halves away from zero); nil when it is not
    /// finite or does not fit in 64 bits.
    @inline(__always)
    public static func units(_ value: Double) -> Int64? {
        let scaled = (value * Double(scale)).rounded()
        return scaled.isFinite && abs(scaled) < 9.2e18 ? Int64(scaled) : nil
    }

    /// Adds one value given in millionths.
    @inline(__always)
    public mutating func add(units value: Int64) {
        count += 1
        sum += Int128(value)
        let square = Int128(value) * Int128(value)
        let (total, overflow) = sumOfSquares.addingReportingOverflow(square)
        sumOfSquares = overflow ? .max : total
    }

    /// The moments of both samples together.
    public static func + (a: FixedPointMoments, b: FixedPointMoments) -> FixedPointMoments {
        var merged = a
        merged.count += b.count
        // Cannot overflow for values that were added one by one; moments handed in whole saturate.
        let (sum, sumOverflow) = a.sum.addingReportingOverflow(b.sum)
        merged.sum = sumOverflow ? (b.sum > 0 ? .max : .min) : sum
        let (total, overflow) = a.sumOfSquares.addingReportingOverflow(b.sumOfSquares)
        merged.sumOfSquares = overflow ? .max : total
        return merged
    }

    /// Whether the sum of squares saturated: no variance then.
    public var isSaturated: Bool { sumOfSquares == .max }

    /// The sum in the values' own unit.
    public var total: Double { Double(sum) / Double(Self.scale) }

    /// The arithmetic mean (Σx / n from the exact sum); nil without values.
    public var mean: Double? { count > 0 ? Double(sum) / (Double(count) * Double(Self.scale)) : nil }

    /// The sample variance (divisor n − 1), (n·Σx² − (Σx)²) / (n·(n − 1)) with an exact numerator;
    /// nil below two values or when the sum of squares saturated.
    public var variance: Double? {
        guard count >= 2, !isSaturated else { return nil }
        let spread = Self.spread(count: count, sum: sum, sumOfSquares: sumOfSquares).double
        return spread / (Double(count) * Double(count - 1)) / (Double(Self.scale) * Double(Self.scale))
    }

    /// The sample standard deviation, the square root of `variance`.
    public var standardDeviation: Double? { variance?.squareRoot() }

    /// treatment's mean − control's mean, from (Σx_t·n_c − Σx_c·n_t) / (n_t·n_c) computed exactly:
    /// means of a million that differ by a cent lose nothing to the subtraction. Nil when either is empty.
    public static func differenceOfMeans(_ treatment: FixedPointMoments, _ control: FixedPointMoments) -> Double? {
        guard treatment.count > 0, control.count > 0 else { return nil }
        let numerator = WideInteger(treatment.sum, times: Int128(control.count)) - WideInteger(control.sum, times: Int128(treatment.count))
        return numerator.double / (Double(treatment.count) * Double(control.count) * Double(scale))
    }

    /// n·Σx² − (Σx)², exact.
    private static func spread(count: Int, sum: Int128, sumOfSquares: Int128) -> WideInteger {
        WideInteger(sumOfSquares, times: Int128(count)) - WideInteger(sum, times: sum)
    }
}

/// A signed 256-bit integer as a sign and a magnitude: exactly what the products of two 128-bit
/// integers and their differences need (a magnitude below 2²⁵⁵ never carries out).
struct WideInteger: Equatable {
    var negative: Bool
    var high: UInt128
    var low: UInt128

    init(_ a: Int128, times b: Int128) {
        let (high, low) = a.magnitude.multipliedFullWidth(by: b.magnitude)
        self.high = high
        self.low = low
        negative = (a < 0) != (b < 0) && (high != 0 || low != 0)
    }

    private init(negative: Bool, high: UInt128, low: UInt128) {
        self.negative = negative && (high != 0 || low != 0)
        self.high = high
        self.low = low
    }

    static func - (a: WideInteger, b: WideInteger) -> WideInteger {
        a + WideInteger(negative: !b.negative, high: b.high, low: b.low)
    }

    static func + (a: WideInteger, b: WideInteger) -> WideInteger {
        if a.negative == b.negative {
            let (low, carry) = a.low.addingReportingOverflow(b.low)
            return WideInteger(negative: a.negative, high: a.high &+ b.high &+ (carry ? 1 : 0), low: low)
        }
        // Opposite signs: the larger magnitude minus the smaller, with the larger's sign.
        let (larger, smaller) = (a.high, a.low) >= (b.high, b.low) ? (a, b) : (b, a)
        let (low, borrow) = larger.low.subtractingReportingOverflow(smaller.low)
        return WideInteger(negative: larger.negative, high: larger.high &- smaller.high &- (borrow ? 1 : 0), low: low)
    }

    /// The nearest double, give or take a rounding (a deterministic function of the exact value).
    var double: Double {
        let magnitude = Double(high) * 0x1p128 + Double(low)
        return negative ? -magnitude : magnitude
    }
}
