import Diagnostics
import PromptCatalog

/// `page-collision`: content whose pages would have paths that differ only in case (or in `.yml`
/// and `.yaml`) — one page on a case-insensitive disk (macOS, Windows), where sites are often
/// built and served from.
enum PageNameRules {
    static func check(_ context: CheckContext) -> [Diagnostic] {
        let catalog = context.catalog
        func fileStem(_ file: String) -> String { yamlStem(String(file.split(separator: "/").last ?? "")) }
        // Pages named by the file: the site publishes the first, and the others have none.
        let unpublished = collisions(catalog.plugins, kind: "plugin", file: \.file) { $0.file.split(separator: "/").dropFirst().first.map(String.init) ?? $0.file }
            + collisions(catalog.nodeTypes, kind: "node type", file: \.file) { fileStem($0.file) }
            + collisions(catalog.scenes, kind: "scene", file: \.file) { fileStem($0.file) }
        // Pages named by an id or a path: both are published, and one replaces the other on such a disk.
        let twins = collisions(catalog.families, kind: "family", file: \.file, published: true) { $0.slug }
            + collisions(catalog.providers, kind: "provider", file: \.file, published: true) { $0.id }
            + collisions(catalog.docs, kind: "doc", file: \.path, published: true) { $0.path }
        return unpublished + twins
    }

    /// The items whose name, ignoring case, an earlier item already has.
    static func collisions<Item>(_ items: [Item], kind: String, file: (Item) -> String, published: Bool = false,
                                 name: (Item) -> String) -> [Diagnostic] {
        var first: [String: Item] = [:]
        var diagnostics: [Diagnostic] = []
        for item in items {
            let key = name(item).lowercased()
            guard let earlier = first[key] else {
                first[key] = item
                continue
            }
            let at = SourceLocation(file: file(item), line: 1, column: 1)
            if published {
                diagnostics.append(.warning("page-collision", "\(kind) `\(name(item))` (\(file(item))) is published at a page whose path differs from `\(name(earlier))`'s (\(file(earlier))) only in case: on a case-insensitive disk one replaces the other",
                                            at: at, hint: "rename one of them so that the names differ by more than case"))
            } else {
                diagnostics.append(.error("page-collision", "\(kind) `\(file(item))` would be published at the same page as `\(file(earlier))`; it has no page",
                                          at: at, hint: "rename one of them: names that differ only in case, or in .yml and .yaml, share a page"))
            }
        }
        return diagnostics
    }
}
