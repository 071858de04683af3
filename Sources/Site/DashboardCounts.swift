import PromptCatalog

/// The dashboard cards beyond families and versions: one per kind of content the catalog holds
/// (action blocks, programs, contexts), left out when there is none.
struct DashboardCounts: Sendable {
    struct Card: Sendable {
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
        ]
        cards = all.filter { $0.count > 0 }
    }
}
