/// A pool of values drawn at random for a variable, with optional weights.
public struct RandomizationPool: Hashable, Sendable {
    public let values: [String]
    /// One non-negative weight per value; equal weights when absent.
    public let weights: [Double]?

    public init(values: [String], weights: [Double]? = nil) {
        self.values = values
        self.weights = weights
    }

    public var longestValue: Int { values.map(\.count).max() ?? 0 }
    public var shortestValue: Int { values.map(\.count).min() ?? 0 }

    /// Draws one value; nil for an empty pool. Weights that do not fit the values are ignored.
    public func draw(using random: inout SeededRandom) -> String? {
        guard !values.isEmpty else { return nil }
        guard let given = weights, given.count == values.count, given.allSatisfy({ $0 >= 0 && $0.isFinite }), let largest = given.max() else {
            return values[random.next(below: values.count)]
        }
        // Relative to the largest, so that weights near the largest double do not sum to infinity.
        let weights = largest > 0 ? given.map { $0 / largest } : given
        let total = weights.reduce(0, +)
        guard total > 0 else { return values[random.next(below: values.count)] }
        var target = random.nextUnit() * total
        for (value, weight) in zip(values, weights) {
            if target < weight { return value }
            target -= weight
        }
        return values[values.count - 1]
    }
}

/// SplitMix64: a small deterministic generator, so a seed gives the same draw on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A seed from text (FNV-1a), e.g. `family@3`, so previews are stable per version.
    public init(seedText: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seedText.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        state = hash
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound.
    public mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
