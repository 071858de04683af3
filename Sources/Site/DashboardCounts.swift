import PromptCatalog

/// The dashboard cards beyond families and versions: one per kind of content the catalog holds
/// (action blocks, programs, contexts, content packs and their blocks), left out when there is none.
struct DashboardCounts: Encodable, Sendable {
    struct Card: Encodable, Sendable {
        let count: Int
        let label: String
        let url: String
    }

    let cards: [Card]

    init(_ catalog: Catalog) {
        let all = [
            Card(count: catalog.blocks.count, label: catalog.blocks.count == 1 ? "action block" : "action blocks", url: SitePaths.blocks),
            Card(count: catalog.programs.count, label: catalog.programs.count == 1 ? "program" : "programs", url: SitePaths.programs),
            Card(count: catalog.contexts.count, label: catalog.contexts.count == 1 ? "context" : "contexts", url: SitePaths.programs),
            Card(count: catalog.contentPacks.packs.count, label: catalog.contentPacks.packs.count == 1 ? "content pack" : "content packs",
                 url: SitePaths.contentPacks),
            Card(count: catalog.contentPacks.blocks.count, label: catalog.contentPacks.blocks.count == 1 ? "content-pack block" : "content-pack blocks",
                 url: SitePaths.contentPacks),
        ]
        cards = all.filter { $0.count > 0 }
    }
}
