/// Everything the analytics report needs about one group of generations, in a form that
/// merges by adding: counts by status and error, cost, rating and a latency sketch.
/// Cost and rating are kept in integer millionths (`FixedPointMoments`) so their sums, means
/// and Welch tests are exact and the same in any merge order.
public struct Aggregate: Sendable, Equatable {
    public var success = 0
    public var failed = 0
    public var cancelled = 0
    /// Records per `error` code (whatever their status).
    public var errors: [String: Int] = [:]
    /// Cost of each record that had one: its total, and Welch's test on cost.
    public var cost = FixedPointMoments()
    public var rating = FixedPointMoments()
    /// Latency of successful generations, in milliseconds.
    public var latency = LatencySketch()
    /// First and last day seen (`YYYY-MM-DD`), empty when no record had a date.
    public var firstDay = ""
    public var lastDay = ""

    public init() {}

    public var total: Int { success + failed + cancelled }
    /// success + failed: the denominator of the success rate (cancelled ones are neither).
    public var decided: Int { success + failed }
    public var successRate: Double? { decided == 0 ? nil : Double(success) / Double(decided) }
    /// Sum of `cost` in millionths (at most `Int64.max`), and how many records had one.
    public var costMicros: Int64 { Int64(clamping: cost.sum) }
    public var costCount: Int { cost.count }
    public var totalCost: Double { cost.total }
    /// Total cost over all generations, and over successful ones.
    public var costPerGeneration: Double? { total == 0 || costCount == 0 ? nil : totalCost / Double(total) }
    public var costPerSuccess: Double? { success == 0 || costCount == 0 ? nil : totalCost / Double(success) }

    public func count(_ status: GenerationStatus) -> Int {
        switch status {
        case .success: success
        case .failed: failed
        case .cancelled: cancelled
        }
    }

    public mutating func merge(_ other: Aggregate) {
        success += other.success
        failed += other.failed
        cancelled += other.cancelled
        for (code, count) in other.errors { errors[code, default: 0] += count }
        cost = cost + other.cost
        rating = rating + other.rating
        latency.merge(other.latency)
        if !other.firstDay.isEmpty, firstDay.isEmpty || other.firstDay < firstDay { firstDay = other.firstDay }
        if other.lastDay > lastDay { lastDay = other.lastDay }
    }

    public static func + (lhs: Aggregate, rhs: Aggregate) -> Aggregate {
        var merged = lhs
        merged.merge(rhs)
        return merged
    }
}

/// Cost in millionths, rounded to the nearest; nil when that does not fit in 64 bits.
@inline(__always)
func micros(_ cost: Double) -> Int64? { FixedPointMoments.units(cost) }
