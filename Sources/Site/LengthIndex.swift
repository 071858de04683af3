import PromptCatalog

/// Every version's lengths per provider, computed once (in parallel) and shared by
/// the version pages, the provider pages and the JSON API.
struct LengthIndex: Sendable {
    private let lengths: [String: [ProviderLength]]

    init(_ catalog: Catalog, defaultProviders: [String]) {
        let versions = catalog.families.flatMap(\.versions)
        let computed = parallelMap(versions) { version in (version.file, catalog.lengths(of: version, defaultProviders: defaultProviders)) }
        lengths = Dictionary(computed, uniquingKeysWith: { first, _ in first })
    }

    func of(_ version: PromptVersion) -> [ProviderLength] { lengths[version.file] ?? [] }
}
