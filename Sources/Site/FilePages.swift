import PromptCatalog

/// The page that shows each content file, for linking a diagnostic to where it applies: only a
/// page this build publishes. A file that could not be loaded (broken YAML, a version whose
/// front matter fails, a provider whose id is not its file name, the loser of a page collision)
/// has no page, and its diagnostics link nowhere instead of to a page that was never written.
struct FilePages: Sendable {
    /// Files whose page is named by what they hold: families, versions, providers, docs.
    private let byFile: [String: String]
    /// Pages named by the file's place (plugins, node types, scenes, block files, packs, programs).
    private let published: Set<String>

    init(_ catalog: Catalog, plugins: PluginAddresses) {
        var byFile: [String: String] = [:]
        for family in catalog.families {
            byFile[family.file] = SitePaths.family(family.slug)
            var seen = Set<Int>()
            for version in family.versions where seen.insert(version.number).inserted {
                byFile[version.file] = SitePaths.version(family.slug, version.number)
            }
        }
        for provider in catalog.providers where byFile[provider.file] == nil { byFile[provider.file] = SitePaths.provider(provider.id) }
        for doc in catalog.docs { byFile[doc.path] = SitePaths.doc(doc.path) }
        // A log file's problems are read on the analytics overview, which lists each file with its lines.
        for log in catalog.logFiles { byFile[log.path] = SitePaths.analytics }
        self.byFile = byFile
        var published: Set<String> = [SitePaths.programs]
        published.formUnion(plugins.plugins.map(\.path))
        published.formUnion(plugins.nodeTypes.map(\.path))
        published.formUnion(plugins.scenes.map(\.path))
        published.formUnion(catalog.blocks.map { SitePaths.blockFile($0.file) })
        published.formUnion(catalog.contentPacks.packs.map { SitePaths.contentPack($0.name, kind: $0.kind) })
        self.published = published
    }

    func page(for file: String) -> String? {
        if let page = byFile[file] { return page }
        guard let page = SitePaths.page(for: file), published.contains(page) else { return nil }
        return page
    }
}
