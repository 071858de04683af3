import PromptTemplates

/// Includes nest at most this deep (`{{> a}}` in a version is depth 1).
public let maximumIncludeDepth = 8
/// A composed template holds at most this many included texts (a snippet included twice in
/// a snippet included twice… grows exponentially within the depth limit).
public let maximumIncludedTexts = 1000
/// A composed template's text stops growing at this many bytes (a 200 KB snippet ten times in a
/// snippet ten times in a third… composed to 200 MB): the includes past it are left out.
public let maximumComposedBytes = Template.maximumRenderedBytes

/// An include that names a version: where it is written, what it names and how deep it sits.
public struct ResolvedInclude: Sendable {
    public let reference: IncludeReference
    /// The id of the version whose template holds the reference (`family@N`), nil in the composed template's own text.
    public let includer: String?
    public let version: PromptVersion
    /// 1 for an include in the composed template itself, 2 for one inside that version, …
    public let depth: Int
    /// The include in the composed template's own text this one is reached through.
    public let entry: IncludeReference
}

/// Why an include was left out of the composed text.
public enum IncludeProblem: Sendable {
    /// The family, label or version does not exist; `suggestion` is a close family or label name.
    case unresolved(IncludeReference, includer: String?, reason: String, suggestion: String?)
    /// Following includes came back to a version: `cycle` lists the ids, first repeated last.
    case cycle([String], entry: IncludeReference)
    /// The chain of version ids went past `maximumIncludeDepth`.
    case tooDeep([String], entry: IncludeReference)
    /// More than `maximumIncludedTexts` includes were followed; the rest were left out.
    case tooMany(entry: IncludeReference)
    /// The composed text reached `maximumComposedBytes`; the includes past it were left out.
    case tooLarge(entry: IncludeReference)
}

/// A variable declared both by the composed template's owner (or an earlier include) and by
/// an included version, with different types.
public struct IncludeVariableConflict: Sendable {
    public let path: VariablePath
    /// The declaration that wins (the owner's, or the first included one).
    public let kept: VariableSpec
    public let keptBy: String
    public let other: VariableSpec
    public let otherBy: String
    public let entry: IncludeReference
}

/// A template with every include replaced by the included version's composed template, and
/// what the included versions bring: their variable declarations and randomization pools
/// (after the owner's own), the includes followed and the ones that could not be.
public struct ComposedTemplate: Sendable {
    public let template: Template
    public let includes: [ResolvedInclude]
    /// Declarations of included versions whose path the owner does not declare, first one wins.
    public let variables: [VariableSpec]
    public let pools: [PoolSpec]
    public let problems: [IncludeProblem]
    public let conflicts: [IncludeVariableConflict]

    /// A template without includes, as it is.
    public init(plain template: Template) {
        self.init(template: template, includes: [], variables: [], pools: [], problems: [], conflicts: [])
    }

    init(template: Template, includes: [ResolvedInclude], variables: [VariableSpec], pools: [PoolSpec],
         problems: [IncludeProblem], conflicts: [IncludeVariableConflict]) {
        self.template = template
        self.includes = includes
        self.variables = variables
        self.pools = pools
        self.problems = problems
        self.conflicts = conflicts
    }

    /// The composed text as written, `{{variables}}` kept.
    public var source: String { template.source }
}

extension Catalog {
    /// The version an include names, or why it names none.
    public func resolve(_ reference: IncludeReference) -> Result<PromptVersion, IncludeResolutionError> {
        guard let family = family(reference.family) else {
            return .failure(IncludeResolutionError(reason: "no family `\(reference.family)`",
                                                   suggestion: closestMatch(to: reference.family, in: families.map(\.slug))))
        }
        switch reference.selector {
        case .latest:
            guard let latest = family.latest else { return .failure(IncludeResolutionError(reason: "family `\(family.slug)` has no versions", suggestion: nil)) }
            return .success(latest)
        case .number(let number):
            guard let version = family.version(number) else {
                let known = family.versions.map { "\($0.number)" }.joined(separator: ", ")
                return .failure(IncludeResolutionError(reason: "family `\(family.slug)` has no version \(number)" + (known.isEmpty ? "" : " (it has \(known))"), suggestion: nil))
            }
            return .success(version)
        case .label(let name):
            guard let label = family.label(name) else {
                return .failure(IncludeResolutionError(reason: "family `\(family.slug)` has no label `\(name)`",
                                                       suggestion: closestMatch(to: name, in: family.labels.map(\.name)).map { "\(family.slug)@\($0)" }))
            }
            guard let version = family.version(label.version) else {
                return .failure(IncludeResolutionError(reason: "label `\(name)` of `\(family.slug)` points at version \(label.version), which does not exist", suggestion: nil))
            }
            return .success(version)
        }
    }

    /// A version's template composed: every include resolved recursively (a cycle or a chain deeper
    /// than `maximumIncludeDepth` stops there and is reported), the included versions' declarations
    /// carried. Every consumer of a version's text (previews, lengths, plugins, scenes) goes through this.
    public func composed(_ version: PromptVersion) -> ComposedTemplate {
        guard version.template.hasIncludes else { return ComposedTemplate(plain: version.template) }
        return compose(version.template, owner: version)
    }

    /// Any template composed, e.g. an action block's prompt (`owner` nil: no declarations of its own).
    public func composed(_ template: Template) -> ComposedTemplate {
        guard template.hasIncludes else { return ComposedTemplate(plain: template) }
        return compose(template, owner: nil)
    }

    private func compose(_ template: Template, owner: PromptVersion?) -> ComposedTemplate {
        var state = CompositionState(catalog: self)
        if let owner {
            for spec in owner.variables where state.declared[spec.path] == nil { state.declared[spec.path] = (spec, owner.id) }
            for pool in owner.randomization { state.poolNames.insert(pool.name) }
        }
        let (source, segments, errors, errorCount) = state.expand(template, includer: owner?.id, stack: owner.map { [$0.id] } ?? [], depth: 1, entry: nil)
        return ComposedTemplate(template: Template(source: source, segments: mergedText(segments), errors: errors, errorCount: errorCount),
                                includes: state.includes, variables: state.carried, pools: state.pools,
                                problems: state.problems, conflicts: state.conflicts)
    }

    /// Runs of text segments as one (each run joined once: appending piece by piece to the
    /// previous piece copied the growing text for every include).
    private func mergedText(_ segments: [TemplateSegment]) -> [TemplateSegment] {
        var merged: [TemplateSegment] = []
        var run: [String] = []
        func flush() {
            if run.count == 1 { merged.append(.text(run[0])) } else if !run.isEmpty { merged.append(.text(run.joined())) }
            run.removeAll()
        }
        for segment in segments {
            if case .text(let text) = segment {
                run.append(text)
            } else {
                flush()
                merged.append(segment)
            }
        }
        flush()
        return merged
    }
}

/// Why an include names no version.
public struct IncludeResolutionError: Error, Sendable {
    public let reason: String
    public let suggestion: String?
}

/// The walk over includes: what was found so far.
private struct CompositionState {
    let catalog: Catalog
    var declared: [VariablePath: (spec: VariableSpec, by: String)] = [:]
    var poolNames: Set<String> = []
    var carried: [VariableSpec] = []
    var pools: [PoolSpec] = []
    var includes: [ResolvedInclude] = []
    var problems: [IncludeProblem] = []
    var conflicts: [IncludeVariableConflict] = []
    /// Bytes of source text composed so far (see `maximumComposedBytes`).
    var composedBytes = 0

    init(catalog: Catalog) { self.catalog = catalog }

    mutating func expand(_ template: Template, includer: String?, stack: [String], depth: Int, entry: IncludeReference?)
        -> (source: String, segments: [TemplateSegment], errors: [TemplateSyntaxError], errorCount: Int) {
        var source = ""
        // What of `source` is already in `composedBytes` (an inner expansion counts its own).
        var sourceBytesCounted = 0
        var segments: [TemplateSegment] = []
        var errors = template.errors
        var errorCount = template.errorCount
        // Positions count code points and only line feeds end lines (as the template parser counts):
        // the text is walked by scalars, never by characters (`e` + U+0301 is one of those).
        let text = template.source.unicodeScalars
        var copied = text.startIndex
        var cursor = TextCursor(index: text.startIndex)
        for segment in template.segments {
            guard case .include(let reference) = segment else {
                segments.append(segment)
                continue
            }
            let entry = entry ?? reference
            // The source up to this include, as written.
            let start = max(cursor.advance(to: reference.position, in: text), copied)
            source += String(text[copied..<start])
            composedBytes += source.utf8.count - sourceBytesCounted
            sourceBytesCounted = source.utf8.count
            copied = text.index(start, offsetBy: reference.source.unicodeScalars.count, limitedBy: text.endIndex) ?? text.endIndex
            let version: PromptVersion
            switch catalog.resolve(reference) {
            case .failure(let error):
                problems.append(.unresolved(reference, includer: includer, reason: error.reason, suggestion: error.suggestion))
                segments.append(segment)
                source += reference.source
                continue
            case .success(let found): version = found
            }
            if let start = stack.firstIndex(of: version.id) {
                problems.append(.cycle(Array(stack[start...]) + [version.id], entry: entry))
                segments.append(segment)
                source += reference.source
                continue
            }
            if depth > maximumIncludeDepth {
                problems.append(.tooDeep(stack + [version.id], entry: entry))
                segments.append(segment)
                source += reference.source
                continue
            }
            if includes.count >= maximumIncludedTexts {
                if !problems.contains(where: { if case .tooMany = $0 { return true } else { return false } }) {
                    problems.append(.tooMany(entry: entry))
                }
                segments.append(segment)
                source += reference.source
                continue
            }
            if composedBytes + version.template.source.utf8.count > maximumComposedBytes {
                if !problems.contains(where: { if case .tooLarge = $0 { return true } else { return false } }) {
                    problems.append(.tooLarge(entry: entry))
                }
                segments.append(segment)
                source += reference.source
                continue
            }
            includes.append(ResolvedInclude(reference: reference, includer: includer, version: version, depth: depth, entry: entry))
            carry(version, entry: entry)
            let inner = expand(version.template, includer: version.id, stack: stack + [version.id], depth: depth + 1, entry: entry)
            segments += inner.segments
            source += inner.source
            sourceBytesCounted = source.utf8.count
            errors += inner.errors
            errorCount += inner.errorCount
        }
        source += String(text[copied...])
        composedBytes += source.utf8.count - sourceBytesCounted
        return (source, segments, errors, errorCount)
    }

    private mutating func carry(_ version: PromptVersion, entry: IncludeReference) {
        for spec in version.variables {
            if let existing = declared[spec.path] {
                if let kept = existing.spec.type, let other = spec.type, kept != other {
                    conflicts.append(IncludeVariableConflict(path: spec.path, kept: existing.spec, keptBy: existing.by, other: spec, otherBy: version.id, entry: entry))
                }
                continue
            }
            declared[spec.path] = (spec, version.id)
            carried.append(spec)
        }
        for pool in version.randomization where poolNames.insert(pool.name).inserted { pools.append(pool) }
    }
}

/// Who includes whom across the catalog, as version ids (`family@N`): each include of each
/// version's own template resolved once, when the catalog is made.
public struct IncludeGraph: Sendable {
    /// A version's direct includes that resolve, in order of appearance.
    public let includes: [String: [(reference: IncludeReference, version: String)]]
    /// The versions that include a version directly, sorted.
    public let includedBy: [String: [String]]

    init(families: [PromptFamily], family: (String) -> PromptFamily?) {
        var includes: [String: [(reference: IncludeReference, version: String)]] = [:]
        var includedBy: [String: Set<String>] = [:]
        for version in families.flatMap(\.versions) {
            for reference in version.template.includes {
                guard let target = Self.resolve(reference, family: family) else { continue }
                includes[version.id, default: []].append((reference, target.id))
                includedBy[target.id, default: []].insert(version.id)
            }
        }
        self.includes = includes
        self.includedBy = includedBy.mapValues { $0.sorted() }
    }

    static func resolve(_ reference: IncludeReference, family lookup: (String) -> PromptFamily?) -> PromptVersion? {
        guard let family = lookup(reference.family) else { return nil }
        switch reference.selector {
        case .latest: return family.latest
        case .number(let number): return family.version(number)
        case .label(let name): return family.label(name).flatMap { family.version($0.version) }
        }
    }

    /// Every version that includes `id`, directly (depth 1) or through others, nearest first, each once.
    public func includers(of id: String) -> [(id: String, depth: Int)] {
        var found: [(id: String, depth: Int)] = []
        var seen: Set<String> = [id]
        var frontier = [id], depth = 1
        while !frontier.isEmpty {
            var next: [String] = []
            for current in frontier {
                for includer in includedBy[current] ?? [] where seen.insert(includer).inserted {
                    found.append((includer, depth))
                    next.append(includer)
                }
            }
            frontier = next
            depth += 1
        }
        return found
    }

    /// Whether any version includes another.
    public var isEmpty: Bool { includes.isEmpty }
}

/// Where a 1-based line and column (in `Character`s, as the parser counts) is in a text, found
/// by walking on from the last position asked for: includes come in order, so a template with
/// 10,000 of them is walked once, not once per include.
private struct TextCursor {
    var index: String.Index
    var line = 1
    var column = 1

    mutating func advance(to position: TemplatePosition, in text: String.UnicodeScalarView) -> String.Index {
        while index < text.endIndex, (line, column) < (position.line, position.column) {
            if text[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index = text.index(after: index)
        }
        return index
    }
}
