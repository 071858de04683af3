/// Everything the analytics report needs about one group of generations, in a form that
/// merges by adding: counts by status and error, cost, rating and a latency sketch.
/// Cost is kept in integer micro-units so sums are exact in any merge order.
public struct Aggregate: Sendable, Equatable {
    public var success = 0
    public var failed = 0
    public var cancelled = 0
    /// Records per `error` code (whatever their status).
    public var errors: [String: Int] = [:]
    /// Sum of `cost` in millionths, and how many records had one.
    public var costMicros: Int64 = 0
    public var costCount = 0
    /// Cost of each record that had one, for Welch's test on cost.
    public var cost = SampleMoments()
    public var rating = SampleMoments()
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
    public var totalCost: Double { Double(costMicros) / 1_000_000 }
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
        // Saturates rather than traps: hostile logs can only make a total wrong, never crash the build.
        let (sum, overflow) = costMicros.addingReportingOverflow(other.costMicros)
        costMicros = overflow ? Int64.max : sum
        costCount += other.costCount
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
func micros(_ cost: Double) -> Int64? {
    let scaled = (cost * 1_000_000).rounded()
    return scaled.isFinite && abs(scaled) < 9.2e18 ? Int64(scaled) : nil
}
