import PromptTemplates

/// What a version's template may refer to, and how long each value can get:
/// declared variables, randomization pools, the built-in context scopes and the variable
/// sources of plugins; and the plugin transformers its rendered text goes through.
/// (`Catalog.variables(of:)` gathers the plugins' part for a version.)
public struct VersionVariables: Sendable {
    public let version: PromptVersion
    /// Plugin variables (full dotted paths), after the version's own declarations.
    public let sources: [VariableSpec]
    /// Plugin transformers that apply to this version, in order.
    public let transformers: [PluginTransformer]
    /// The template with its includes resolved, and what the included versions declare.
    public let composed: ComposedTemplate

    public init(_ version: PromptVersion, sources: [VariableSpec] = [], transformers: [PluginTransformer] = [], composed: ComposedTemplate? = nil) {
        self.version = version
        self.sources = sources
        self.transformers = transformers
        self.composed = composed ?? ComposedTemplate(plain: version.template)
    }

    /// The composed template: what previews, lengths and validators see.
    public var template: Template { composed.template }

    /// The version's own declarations, then those its includes carry.
    public var declarations: [VariableSpec] { version.variables + composed.variables }

    /// A declaration of the version, or else of a version it includes.
    public func declaration(_ path: VariablePath) -> VariableSpec? { version.variable(path) ?? composed.variables.first { $0.path == path } }

    /// A randomization pool of the version, or else of a version it includes.
    public func pool(_ name: String) -> PoolSpec? { version.pool(name) ?? composed.pools.first { $0.name == name } }

    /// A plugin variable with this path (a version's own declaration wins).
    public func source(_ path: VariablePath) -> VariableSpec? { sources.first { $0.path == path } }

    public func isKnown(_ path: VariablePath) -> Bool {
        declaration(path) != nil
            || (!path.isDotted && pool(path.root) != nil)
            || ContextSchema.field(path) != nil
            || source(path) != nil
    }

    /// The longest value of a path in characters, or nil when it cannot be known.
    public func longest(_ path: VariablePath) -> Int? {
        if let spec = declaration(path) { return Self.longest(spec) }
        if !path.isDotted, let pool = pool(path.root) { return pool.pool.longestValue }
        if case .integer(let min, let max)? = ContextSchema.field(path) { return Swift.max(String(min).count, String(max).count) }
        if let spec = source(path) { return Self.longest(spec) }
        return nil
    }

    /// string → max_length; enum → longest value; numbers → longest printed bound
    /// (an int without bounds is at most 20 characters); bool → 5 ("false").
    public static func longest(_ spec: VariableSpec) -> Int? {
        switch spec.type {
        case .string?: return spec.maxLength?.value
        case .enum?: return spec.values.map(\.value.count).max()
        case .bool?: return 5
        case .int?:
            guard let min = spec.min?.value, let max = spec.max?.value else { return String(Int.min).count }
            return Swift.max(TemplateValue.format(min.rounded(.down)).count, TemplateValue.format(max.rounded(.up)).count)
        case .float?:
            guard let min = spec.min?.value, let max = spec.max?.value else { return nil }
            return Swift.max(TemplateValue.format(min).count, TemplateValue.format(max).count)
        case nil: return nil
        }
    }

    /// The template's worst case plus the text plugin transformers prepend and append
    /// (a `replace` is taken not to lengthen the text).
    public func worstCaseLength() -> WorstCaseLength {
        let template = composed.template.worstCaseLength(longest: longest)
        let added = transformers.reduce(0) { total, transformer in
            switch transformer.change {
            case .prepend(let text), .append(let text): WorstCaseLength.adding(total, text.count)
            case .replace: total
            }
        }
        return WorstCaseLength(length: WorstCaseLength.adding(template.length, added), unboundedPaths: template.unboundedPaths)
    }

    /// The values of the default preview: declared defaults, then the example
    /// (the first one unless named), then pools drawn with the seed, then overrides.
    public func previewValues(example: Example? = nil, overrides: TemplateValues = TemplateValues(), seed: UInt64? = nil) -> TemplateValues {
        var values = TemplateValues()
        for spec in sources + composed.variables + version.variables {
            if let value = spec.defaultValue { values.set(value.templateValue, at: spec.path) }
        }
        if let example = example ?? version.examples.first { values = values.merging(example.values) }
        var random = seed.map(SeededRandom.init(seed:)) ?? SeededRandom(seedText: version.id)
        for pool in version.randomization + composed.pools {
            if let drawn = pool.pool.draw(using: &random) { values.set(.string(drawn), at: VariablePath([pool.name])) }
        }
        return values.merging(overrides)
    }

    /// The default preview rendered and transformed: the text the example length is measured on.
    public func preview(example: Example? = nil, overrides: TemplateValues = TemplateValues(), seed: UInt64? = nil) -> RenderedTemplate {
        let rendered = composed.template.render(with: previewValues(example: example, overrides: overrides, seed: seed))
        guard !transformers.isEmpty else { return rendered }
        return RenderedTemplate(text: PluginTransformer.apply(transformers, to: rendered.text), missing: rendered.missing, cut: rendered.cut)
    }
}

/// A version's lengths against one provider's limits.
public struct ProviderLength: Sendable {
    public let provider: Provider
    public let exampleLength: Int
    public let worstCase: WorstCaseLength
    public let negativeLength: Int?

    public var limit: Int? { provider.promptLimit }
    public var exampleFits: Bool { limit.map { exampleLength <= $0 } ?? true }
    /// nil when the worst case is unknown.
    public var worstCaseFits: Bool? {
        guard let limit else { return true }
        guard worstCase.isBounded else { return worstCase.length > limit ? false : nil }
        return worstCase.length <= limit
    }
}

extension Catalog {
    /// The version's lengths against one provider, whether or not the version lists it
    /// (measured now; the project's `LengthTable` keeps them for everyone else).
    public func length(of version: PromptVersion, against provider: Provider) -> ProviderLength {
        let length = LengthTable.measure(version, in: self)
        return ProviderLength(provider: provider, exampleLength: length.example, worstCase: length.worstCase, negativeLength: length.negative)
    }

    /// The version's lengths against each provider it validates against, measured now (tools that look at
    /// a few versions; a build reads them from the project's `LengthTable`).
    public func lengths(of version: PromptVersion, defaultProviders: [String]) -> [ProviderLength] {
        if family(version.family)?.promptType == .snippet { return [] }
        let length = LengthTable.measure(version, in: self)
        // A closure, not `provider`: a method reference copies the whole catalog into its context.
        return version.providerIDs(defaults: defaultProviders).compactMap { provider($0) }.map {
            ProviderLength(provider: $0, exampleLength: length.example, worstCase: length.worstCase, negativeLength: length.negative)
        }
    }
}
