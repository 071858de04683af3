import Diagnostics
import PromptCatalog

/// unknown-strategy, randomization-strategy, randomization-pool.
enum StrategyRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        context.catalog.families.flatMap(\.versions).flatMap(check)
    }

    static func check(_ version: PromptVersion) -> [Diagnostic] {
        let names = Strategy.allCases.map(\.rawValue)
        var diagnostics: [Diagnostic] = []
        for strategy in version.strategies where Strategy(rawValue: strategy.value) == nil {
            let suggestion = closestMatch(to: strategy.value, in: names).map { "did you mean `\($0)`? " } ?? ""
            diagnostics.append(.error("unknown-strategy", "unknown strategy `\(strategy.value)`", at: strategy.location,
                                      hint: "\(suggestion)strategies are: \(names.joined(separator: ", "))"))
        }
        let strategies = version.strategies.compactMap { Strategy(rawValue: $0.value) }
        if let first = version.randomization.first, !strategies.contains(where: \.allowsRandomization) {
            let listed = strategies.isEmpty ? "none" : strategies.map(\.rawValue).joined(separator: ", ")
            diagnostics.append(.error("randomization-strategy", "randomization pools are only drawn with `always` or `per_playthrough`; this version's strategies: \(listed)",
                                      at: first.location, hint: "add `always` or `per_playthrough` to `strategies`, or remove `randomization`"))
        }
        for pool in version.randomization {
            diagnostics += poolProblems(pool)
        }
        return diagnostics
    }

    private static func poolProblems(_ pool: PoolSpec) -> [Diagnostic] {
        if pool.pool.values.isEmpty {
            return [.error("randomization-pool", "randomization pool `\(pool.name)` has no values", at: pool.location, hint: "list at least one value")]
        }
        guard let weights = pool.pool.weights else { return [] }
        if weights.count != pool.pool.values.count {
            return [.error("randomization-pool", "pool `\(pool.name)` has \(pool.pool.values.count) values but \(weights.count) weights",
                           at: pool.location, hint: "give exactly one weight per value")]
        }
        if weights.contains(where: { $0 < 0 }) || weights.reduce(0, +) <= 0 {
            return [.error("randomization-pool", "weights of pool `\(pool.name)` must be non-negative and not all zero", at: pool.location)]
        }
        return []
    }
}
