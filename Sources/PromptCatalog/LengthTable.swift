import PromptTemplates

/// A version's rendered lengths, the same under every provider: the example length and the
/// worst case (after plugin transformers), and the negative prompt's length.
public struct VersionLength: Sendable {
    /// The composed template (includes resolved) the preview was rendered from.
    public let template: Template
    /// The default preview (first example, plugins applied), as plugin validators read it.
    public let exampleText: String
    public let example: Int
    public let worstCase: WorstCaseLength
    public let negative: Int?
    /// The preview stopped at `Template.maximumRenderedBytes`: `example` counts what was rendered.
    public var previewCut = false
}

/// Every version's lengths, computed once (on all cores) when the project is derived and read by
/// the length and plugin rules, the analytics' limit errors, suggestions, pages and the JSON API.
public struct LengthTable: Sendable {
    private let byFile: [String: VersionLength]

    public init(_ catalog: Catalog) {
        let versions = catalog.families.flatMap(\.versions)
        let computed = parallelMap(versions) { version in (version.file, LengthTable.measure(version, in: catalog)) }
        byFile = Dictionary(computed, uniquingKeysWith: { first, _ in first })
    }

    /// Measures one version (the table's entries are made by this function alone).
    static func measure(_ version: PromptVersion, in catalog: Catalog) -> VersionLength {
        let variables = catalog.variables(of: version)
        let preview = variables.preview()
        var length = VersionLength(template: variables.template, exampleText: preview.text, example: preview.text.characterCount,
                                   worstCase: variables.worstCaseLength(), negative: version.negative?.value.count)
        length.previewCut = preview.cut
        return length
    }

    /// The version's lengths; a version the table was not made from is measured on the spot.
    public func of(_ version: PromptVersion, in catalog: Catalog) -> VersionLength {
        byFile[version.file] ?? LengthTable.measure(version, in: catalog)
    }

    /// Against one provider, whether or not the version lists it.
    public func length(of version: PromptVersion, against provider: Provider, in catalog: Catalog) -> ProviderLength {
        let length = of(version, in: catalog)
        return ProviderLength(provider: provider, exampleLength: length.example, worstCase: length.worstCase, negativeLength: length.negative)
    }

    /// Against each provider the version validates against (its own list, else the defaults).
    /// Snippets (`prompt_type: snippet`) are measured in the prompts that include them, not on their own: none.
    public func lengths(of version: PromptVersion, defaultProviders: [String], in catalog: Catalog) -> [ProviderLength] {
        if catalog.family(version.family)?.promptType == .snippet { return [] }
        let length = of(version, in: catalog)
        // A closure, not `catalog.provider`: a method reference copies the whole catalog into its context.
        return version.providerIDs(defaults: defaultProviders).compactMap { catalog.provider($0) }.map {
            ProviderLength(provider: $0, exampleLength: length.example, worstCase: length.worstCase, negativeLength: length.negative)
        }
    }
}
