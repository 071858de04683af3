import PromptCatalog

/// SPEC §3 "Suggestions": for a node type, or for one generation node of a scene, the
/// families worth using there, best first, each with the reasons for its place and how
/// sure the ranking is.
///
/// **Candidates.** Every active family with at least one version that has some affinity
/// with the node: the node type recommends it, its `node_types` lists the node's type
/// (`generation` for a plain generation node), or it shares tags with the context (the node
/// type's other recommended families; for a scene node also the families the scene's other
/// nodes use). A family whose `prompt_type` differs from the node type's
/// `required_prompt_type` is excluded (`check` reports it as `node-type-mismatch`), and so
/// is an inactive family. The suggested version is the family's `production` label, else its latest.
///
/// **Fit** (0–1, the sum of these, clamped):
/// - recommended by the node type +0.40
/// - `node_types` lists the node's type +0.25 (for a plain `type: generation` scene node, listing
///   `generation` counts +0.10; a declared node type is only matched by name)
/// - `prompt_type` is the required one +0.15
/// - each shared tag +0.05, at most +0.15
/// - against a scene node's provider limit: worst case fits +0.05; worst case over or
///   unknown −0.15; the example itself over −0.60 (it would fail with `prompt_too_long`)
///
/// **Performance** (0–1): the Wilson lower bound of the version's success rate (on the
/// node's provider when that cell alone has enough samples) once it has at least
/// `minSamples` decided generations; otherwise the neutral 0.5, as for a coin never tossed.
///
/// **Score** = 0.6 × fit + 0.4 × performance. Without logs every performance is neutral,
/// so the order is the order of fit. Ties go to the smaller slug.
///
/// **Confidence** (0–1) = ½ × the share of fit signals that could be checked (the family
/// has a prompt type, declares node types, has tags; the node type recommends families;
/// for a scene node the provider has a limit and the worst case is bounded) + ½ × n / (n + minSamples),
/// n being the decided generations behind the performance (0 when it is neutral).
public struct Suggestion: Sendable {
    public let family: String
    public let version: Int
    /// `production` when the label chose the version, nil when it is the latest.
    public let label: String?
    public let score: Double
    public let fit: Double
    /// The Wilson lower bound counted, nil when performance was neutral.
    public let performance: Double?
    public let confidence: Double
    public let reasons: [SuggestionReason]
    /// Whether a scene node already uses this family.
    public let isCurrent: Bool
}

/// One short phrase that explains part of a suggestion's score.
public struct SuggestionReason: Sendable, Equatable {
    public enum Effect: String, Sendable { case positive, negative, neutral }
    public let effect: Effect
    public let text: String

    public init(_ effect: Effect, _ text: String) {
        self.effect = effect
        self.text = text
    }
}

public enum Suggestions {
    static let fitWeight = 0.6
    static let neutralPerformance = 0.5
    static let label = "production"

    /// The families for a node type, best first.
    public static func forNodeType(_ nodeType: NodeType, catalog: Catalog, analytics: AnalyticsReport?, minSamples: Int) -> [Suggestion] {
        rank(Context(type: nodeType.id, nodeType: nodeType, scene: nil, node: nil, catalog: catalog), analytics: analytics, minSamples: minSamples)
    }

    /// The families for one generation node of a scene, best first; empty for a node that generates nothing.
    /// `families`: the scene's `SceneFamilies`, when suggesting for many of its nodes (made here otherwise).
    public static func forSceneNode(_ node: SceneNode, scene: Scene, catalog: Catalog, analytics: AnalyticsReport?, minSamples: Int,
                                    families: SceneFamilies? = nil) -> [Suggestion] {
        guard node.isGeneration else { return [] }
        let context = Context(type: node.type.value, nodeType: catalog.nodeType(node.type.value), scene: scene, node: node, catalog: catalog,
                              sceneFamilies: families ?? SceneFamilies(scene, catalog: catalog))
        return rank(context, analytics: analytics, minSamples: minSamples)
    }

    /// The families a scene's nodes use, found once for the scene. A node's context is the
    /// families of the scene's other nodes; collecting them anew for each node made suggesting
    /// for every node of a scene quadratic in its nodes (8,000 nodes were 64 million visits).
    public struct SceneFamilies: Sendable {
        /// Each family of the catalog the scene uses, in order of first use, with its tags and
        /// the first two distinct ids of the nodes using it (two tell whether a node other than
        /// a given one uses it).
        private let used: [(slug: String, tags: [String], users: [String])]

        public init(_ scene: Scene, catalog: Catalog) {
            var used: [(slug: String, tags: [String], users: [String])] = []
            var position: [String: Int] = [:]
            for node in scene.nodes {
                guard let slug = node.prompt?.family else { continue }
                if let index = position[slug] {
                    if used[index].users.count < 2, !used[index].users.contains(node.id) { used[index].users.append(node.id) }
                } else if let family = catalog.family(slug) {
                    position[slug] = used.count
                    used.append((slug, family.tags, [node.id]))
                }
            }
            self.used = used
        }

        /// The families used by the scene's nodes other than `node` (nodes with another id).
        func around(_ node: SceneNode) -> [(slug: String, tags: [String])] {
            used.filter { $0.users.contains { $0 != node.id } }.map { ($0.slug, $0.tags) }
        }
    }

    /// What a node asks for: its type, the node type's requirements, its scene and provider.
    struct Context {
        let type: String
        let nodeType: NodeType?
        let scene: Scene?
        let node: SceneNode?
        let catalog: Catalog
        var sceneFamilies: SceneFamilies? = nil

        var recommended: [String] { nodeType?.extensions?.recommendedFamilies.map(\.value) ?? [] }
        var requiredType: PromptType? { nodeType?.extensions?.requiredPromptType.flatMap { PromptType(rawValue: $0.value) } }
        var isPlainGeneration: Bool { type == "generation" }
        var provider: Provider? { node?.provider.flatMap { catalog.provider($0.value) } }

        /// Families whose tags describe where the node is, each with its tags.
        var contextFamilies: [(slug: String, tags: [String])] {
            var seen = Set<String>()
            let recommended = recommended.filter { seen.insert($0).inserted }.compactMap { slug in catalog.family(slug).map { (slug: slug, tags: $0.tags) } }
            guard let node else { return recommended }
            let families = sceneFamilies ?? scene.map { SceneFamilies($0, catalog: catalog) }
            return recommended + (families?.around(node) ?? []).filter { seen.insert($0.slug).inserted }
        }
    }

    static func rank(_ context: Context, analytics: AnalyticsReport?, minSamples: Int) -> [Suggestion] {
        let contextFamilies = context.contextFamilies
        let suggestions = context.catalog.families.compactMap { family in
            suggestion(family, context: context, contextFamilies: contextFamilies, analytics: analytics, minSamples: minSamples)
        }
        return suggestions.sorted { ($1.score, $0.family) < ($0.score, $1.family) }
    }

    static func suggestion(_ family: PromptFamily, context: Context, contextFamilies: [(slug: String, tags: [String])],
                           analytics: AnalyticsReport?, minSamples: Int) -> Suggestion? {
        guard family.active, family.promptType != .snippet else { return nil }
        let labelled = family.label(label).flatMap { family.version($0.version) }
        guard let version = labelled ?? family.latest else { return nil }
        if let required = context.requiredType, let type = family.promptType, type != required { return nil }

        var reasons: [SuggestionReason] = []
        var fit = 0.0, affinity = false
        var checked = 0, checkable = 0

        // Prompt type.
        checkable += 1
        if let type = family.promptType {
            checked += 1
            if context.requiredType != nil {
                fit += 0.15
                reasons.append(.init(.positive, "\(type.rawValue), as the node type requires"))
            }
        }
        // Recommendation.
        checkable += 1
        if !context.recommended.isEmpty { checked += 1 }
        if context.recommended.contains(family.slug) {
            fit += 0.40
            affinity = true
            reasons.append(.init(.positive, "recommended by the node type"))
        }
        // node_types.
        checkable += 1
        if !family.nodeTypes.isEmpty { checked += 1 }
        if family.nodeTypes.contains(context.type) {
            fit += 0.25
            affinity = true
            reasons.append(.init(.positive, "lists \(context.type) in node_types"))
        } else if context.isPlainGeneration, family.nodeTypes.contains("generation") {
            fit += 0.10
            affinity = true
            reasons.append(.init(.positive, "lists generation in node_types"))
        }
        // Tags shared with the other families around the node.
        let around = Set(contextFamilies.filter { $0.slug != family.slug }.flatMap(\.tags))
        checkable += 1
        if !family.tags.isEmpty, !around.isEmpty { checked += 1 }
        let shared = family.tags.filter(around.contains)
        if !shared.isEmpty {
            fit += 0.05 * Double(min(shared.count, 3))
            affinity = true
            reasons.append(.init(.positive, "shares tags " + shared.joined(separator: ", ")))
        }
        guard affinity else { return nil }
        // The scene node's provider limit.
        if let provider = context.provider, let limit = provider.promptLimit {
            checkable += 1
            let variables = context.catalog.variables(of: version, nodeType: context.nodeType?.id)
            let example = variables.preview().text.count
            let worst = variables.worstCaseLength()
            if worst.isBounded { checked += 1 }
            if example > limit {
                fit -= 0.60
                reasons.append(.init(.negative, "over \(provider.id)'s \(limit)-character limit (example \(example))"))
            } else if !worst.isBounded {
                fit -= 0.15
                reasons.append(.init(.negative, "worst case unknown against \(provider.id)'s \(limit)-character limit (unbounded: "
                                         + worst.unboundedPaths.map(\.description).joined(separator: ", ") + ")"))
            } else if worst.length > limit {
                fit -= 0.15
                reasons.append(.init(.negative, "worst case \(worst.length) over \(provider.id)'s \(limit)-character limit (example \(example) fits)"))
            } else {
                fit += 0.05
                reasons.append(.init(.positive, "fits \(provider.id)'s \(limit)-character limit (worst case \(worst.length))"))
            }
        }
        fit = min(max(fit, 0), 1)

        // Performance.
        let counted = performance(family: family.slug, version: version.number, provider: context.node?.provider?.value,
                                  analytics: analytics, minSamples: minSamples)
        reasons.append(counted.reason)
        let isCurrent = context.node?.prompt?.family == family.slug
        if isCurrent { reasons.append(.init(.neutral, "used by this node now")) }

        let score = fitWeight * fit + (1 - fitWeight) * (counted.lowerBound ?? neutralPerformance)
        let samples = counted.lowerBound == nil ? 0 : counted.decided
        let confidence = 0.5 * Double(checked) / Double(checkable) + 0.5 * Double(samples) / Double(samples + max(minSamples, 1))
        return Suggestion(family: family.slug, version: version.number, label: labelled == nil ? nil : label,
                          score: rounded(score), fit: rounded(fit), performance: counted.lowerBound.map(rounded),
                          confidence: rounded(confidence), reasons: reasons, isCurrent: isCurrent)
    }

    /// The Wilson lower bound that counts (on the node's provider when that alone has enough samples), and why.
    static func performance(family: String, version: Int, provider: String?, analytics: AnalyticsReport?, minSamples: Int)
        -> (lowerBound: Double?, decided: Int, reason: SuggestionReason) {
        guard let report = analytics?.version(family, version), report.metrics.generations > 0 else {
            return (nil, 0, .init(.neutral, "no generations logged"))
        }
        var metrics = report.metrics
        var on = ""
        if let provider, let cell = report.providers.first(where: { $0.name == provider }), cell.metrics.aggregate.decided >= minSamples {
            metrics = cell.metrics
            on = " on \(provider)"
        }
        let decided = metrics.aggregate.decided
        guard decided >= minSamples, let rate = metrics.successRate, let interval = metrics.successInterval else {
            return (nil, decided, .init(.neutral, "\(decided) decided generations, fewer than \(minSamples): performance not counted"))
        }
        let text = "\(percent(rate)) success\(on) (\(percent(interval.lower, sign: false))–\(percent(interval.upper)), n = \(decided))"
        let effect: SuggestionReason.Effect = interval.lower >= neutralPerformance ? .positive : .negative
        return (interval.lower, decided, .init(effect, text))
    }

    /// `92.5%` (one decimal, half away from zero); without the sign for the first end of a range.
    static func percent(_ rate: Double, sign: Bool = true) -> String {
        let tenths = Int((rate * 1000).rounded(.toNearestOrAwayFromZero))
        return "\(tenths / 10).\(tenths % 10)" + (sign ? "%" : "")
    }

    /// Six decimals, so sums that differ only in floating-point noise tie (and fall to the slug).
    static func rounded(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }
}
