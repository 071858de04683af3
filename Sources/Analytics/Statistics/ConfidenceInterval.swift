/// A two-sided confidence interval, `lower ≤ upper`.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The lower bound.
    public let lower: Double
    /// The upper bound.
    public let upper: Double

    /// The interval from `lower` to `upper`.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Whether `value` lies inside the interval, bounds included.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
