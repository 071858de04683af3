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
}

extension Template {
    /// `longest` gives the longest value of a path in characters, or nil when unknown.
    public func worstCaseLength(longest: (VariablePath) -> Int?) -> WorstCaseLength {
        var length = literalLength
        var unbounded: [VariablePath] = []
        for reference in references {
            if let bound = longest(reference.path) {
                length += bound
            } else if !unbounded.contains(reference.path) {
                unbounded.append(reference.path)
            }
        }
        return WorstCaseLength(length: length, unboundedPaths: unbounded)
    }
}
