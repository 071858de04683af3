/// The numbers shown for one group of generations (SPEC §3), computed from its aggregate.
public struct Metrics: Sendable {
    public let aggregate: Aggregate
    /// success / (success + failed) with its Wilson interval; nil without decided generations.
    public let successRate: Double?
    public let successInterval: ConfidenceInterval?
    /// Latency of successful generations (ms), within 0.5%.
    public let p50: Double?
    public let p90: Double?
    public let p99: Double?
    public let meanLatency: Double?

    public init(_ aggregate: Aggregate, confidence: Double) {
        self.aggregate = aggregate
        successRate = aggregate.successRate
        successInterval = wilsonInterval(successes: aggregate.success, trials: aggregate.decided, confidence: confidence)
        p50 = aggregate.latency.quantile(0.50)
        p90 = aggregate.latency.quantile(0.90)
        p99 = aggregate.latency.quantile(0.99)
        meanLatency = aggregate.latency.mean
    }

    public var generations: Int { aggregate.total }
    public var totalCost: Double { aggregate.totalCost }
    public var costPerGeneration: Double? { aggregate.costPerGeneration }
    public var costPerSuccess: Double? { aggregate.costPerSuccess }
    public var ratingMean: Double? { aggregate.rating.mean }
    public var ratingCount: Int { aggregate.rating.count }
    /// The lower end of the success interval: how top performers are ranked.
    public var rankingScore: Double { successInterval?.lower ?? 0 }
}

/// A named group: a provider, node, block, day, family.
public struct NamedMetrics: Sendable {
    public let name: String
    public let metrics: Metrics
}
