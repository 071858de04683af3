/// The longest a template can render: literal text plus each variable at its longest.
/// When some variable has no known longest value the length is a lower bound and
/// `unboundedPaths` names the culprits.
public struct WorstCaseLength: Hashable, Sendable {
    public let length: Int
    public let unboundedPaths: [VariablePath]

    public init(length: Int, unboundedPaths: [VariablePath]) {
        self.length = length
        self.unboundedPaths = unboundedPaths
    }

    public var isBounded: Bool { unboundedPaths.isEmpty }

    /// A sum of lengths that stops at `Int.max` instead of trapping: lengths come from content.
    public static func adding(_ lhs: Int, _ rhs: Int) -> Int {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        return overflow ? (rhs > 0 ? Int.max : Int.min) : sum
    }
}

extension Template {
    /// `longest` gives the longest value of a path in characters, or nil when unknown.
    public func worstCaseLength(longest: (VariablePath) -> Int?) -> WorstCaseLength {
        var length = literalLength
        var unbounded: [VariablePath] = []
        // Found once each through a set: a search of the list per reference made a template of
        // 100,000 distinct undeclared variables take over 20 s to check.
        var seen = Set<VariablePath>()
        for reference in references {
            if let bound = longest(reference.path) {
                length = WorstCaseLength.adding(length, bound)
            } else if seen.insert(reference.path).inserted {
                unbounded.append(reference.path)
            }
        }
        return WorstCaseLength(length: length, unboundedPaths: unbounded)
    }
}
