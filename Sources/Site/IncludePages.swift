import Diagnostics
import PromptCatalog
import PromptTemplates

// Who uses what: a version's includes and includers, the include graph on a family page,
// and `api/v1/includes.json`.

extension SitePaths {
    public static let includesAPI = "api/v1/includes.json"
}

/// The "Composition" section of a version page; nil when the version neither includes nor is included.
struct CompositionView: Encodable, Sendable {
    let includes: [IncludeRow]
    let includedBy: [IncluderRow]
    /// The composed template, `{{variables}}` kept; nil without includes.
    let composedText: String?
    let hasIncludes: Bool
    let hasIncluders: Bool
}

struct IncludeRow: Encodable, Sendable {
    /// As written: `{{> style@production}}`.
    let written: String
    let version: Link
    let depth: Int
    /// The version whose template holds the include, when deeper than the page's own.
    let through: String?
}

struct IncluderRow: Encodable, Sendable {
    let version: Link
    let depth: Int
    let direct: Bool
}

extension PagePlanner {
    func compositionView(_ version: PromptVersion, from path: String) -> CompositionView? {
        let composed = catalog.composed(version)
        let includers = catalog.includeGraph.includers(of: version.id)
        guard !composed.includes.isEmpty || !includers.isEmpty else { return nil }
        let link = { (id: String) -> Link in Link(text: id, url: SitePaths.link(from: path, to: Self.versionPath(id))) }
        return CompositionView(
            includes: composed.includes.map { include in
                IncludeRow(written: include.reference.source, version: link(include.version.id), depth: include.depth,
                           through: include.depth > 1 ? include.includer : nil)
            },
            includedBy: includers.map { IncluderRow(version: link($0.id), depth: $0.depth, direct: $0.depth == 1) },
            composedText: composed.includes.isEmpty ? nil : composed.source,
            hasIncludes: !composed.includes.isEmpty, hasIncluders: !includers.isEmpty)
    }

    /// The include graph of a family whose versions are included (always shown for a snippet).
    func includeGraphSVG(_ family: PromptFamily, from path: String) -> String? {
        let graph = catalog.includeGraph
        let included = family.versions.map(\.id).filter { graph.includedBy[$0] != nil }
        guard !included.isEmpty || family.promptType == .snippet else { return nil }
        return IncludeGraphSVG.render(family: family, graph: graph) { id in SitePaths.link(from: path, to: Self.versionPath(id)) }
    }

    /// `family@N` → the version page.
    static func versionPath(_ id: String) -> String {
        let parts = id.split(separator: "@", maxSplits: 1)
        return SitePaths.version(String(parts[0]), Int(parts.last ?? "") ?? 0)
    }
}

/// Columns by distance: the family's versions on the left, the versions that include them
/// directly next, and so on; each edge goes from an includer to what it includes.
enum IncludeGraphSVG {
    static let rowHeight = 28, columnGap = 48, padding = 8, characterWidth = 7, fontSize = 12
    /// A column shows at most this many versions, then "… and N more" (the version pages list them all).
    static let columnLimit = 40

    static func render(family: PromptFamily, graph: IncludeGraph, link: (String) -> String) -> String {
        var columns: [[String]] = [family.versions.map(\.id).filter { graph.includedBy[$0] != nil }]
        var depthOf: [String: Int] = [:]
        for id in columns[0] { depthOf[id] = 0 }
        for id in columns[0] {
            for includer in graph.includers(of: id) where depthOf[includer.id] == nil || depthOf[includer.id]! > includer.depth {
                depthOf[includer.id] = includer.depth
            }
        }
        let deepest = depthOf.values.max() ?? 0
        if deepest > 0 {
            for depth in 1...deepest { columns.append(depthOf.filter { $0.value == depth }.map(\.key).sorted()) }
        }
        let hidden = columns.map { max(0, $0.count - columnLimit) }
        columns = columns.map { Array($0.prefix(columnLimit)) }
        let nodes = columns.flatMap { $0 }
        guard !nodes.isEmpty else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"include-graph empty\" viewBox=\"0 0 220 32\" width=\"220\" height=\"32\""
                + " role=\"img\" aria-label=\"No prompt includes \(HTML.escape(family.slug))\" font-family=\"system-ui, sans-serif\""
                + " font-size=\"\(fontSize)\" fill=\"currentColor\">\n<text x=\"\(padding)\" y=\"20\">no prompt includes it yet</text>\n</svg>"
        }
        let widths = zip(columns, hidden).map { column, more in
            max(column.map(\.count).max() ?? 0, more > 0 ? "… and \(more) more".count : 0) * characterWidth + 2 * padding
        }
        var x: [Int] = []
        var left = padding
        for width in widths {
            x.append(left)
            left += width + columnGap
        }
        let width = left - columnGap + padding
        let height = (zip(columns, hidden).map { $0.count + ($1 > 0 ? 1 : 0) }.max() ?? 1) * rowHeight + 2 * padding
        var position: [String: (column: Int, row: Int)] = [:]
        for (column, ids) in columns.enumerated() { for (row, id) in ids.enumerated() { position[id] = (column, row) } }
        let center = { (row: Int) in padding + row * rowHeight + rowHeight / 2 }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"include-graph\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\""
        out += " role=\"img\" aria-label=\"\(HTML.escape("Prompts that include \(family.slug): \(depthOf.count - columns[0].count - hidden[0])"))\""
        out += " font-family=\"system-ui, sans-serif\" font-size=\"\(fontSize)\" fill=\"currentColor\">\n"
        out += "<g class=\"edges\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.6\" stroke-width=\"1.5\">\n"
        for id in nodes {
            guard let from = position[id] else { continue }
            for target in graph.includes[id] ?? [] {
                guard let to = position[target.version], to.column < from.column else { continue }
                let x1 = x[from.column], x2 = x[to.column] + widths[to.column]
                let y1 = center(from.row), y2 = center(to.row), middle = (x1 + x2) / 2
                out += "<path class=\"edge\" data-from=\"\(HTML.escape(id))\" data-to=\"\(HTML.escape(target.version))\" d=\"M\(x1) \(y1) C\(middle) \(y1) \(middle) \(y2) \(x2) \(y2)\"/>\n"
            }
        }
        out += "</g>\n"
        for id in nodes {
            guard let place = position[id] else { continue }
            let top = padding + place.row * rowHeight + 3
            out += "<g class=\"node depth-\(place.column)\" data-version=\"\(HTML.escape(id))\"><a href=\"\(HTML.escape(HTML.safeURL(link(id))))\">"
            out += "<rect x=\"\(x[place.column])\" y=\"\(top)\" width=\"\(widths[place.column])\" height=\"\(rowHeight - 6)\" rx=\"4\" fill=\"currentColor\" fill-opacity=\"0.08\" stroke=\"currentColor\" stroke-opacity=\"0.5\"/>"
            out += "<text x=\"\(x[place.column] + padding)\" y=\"\(top + 15)\">\(HTML.escape(id))</text></a></g>\n"
        }
        for (column, more) in hidden.enumerated() where more > 0 {
            out += "<text class=\"more\" x=\"\(x[column] + padding)\" y=\"\(padding + columns[column].count * rowHeight + 18)\">… and \(more) more</text>\n"
        }
        return out + "</svg>"
    }
}

extension MachineOutputs {
    /// `api/v1/includes.json`: every version that includes or is included, with its direct includes
    /// (as written and resolved), every version that includes it (with depth) and its composed text.
    func includesDocument() -> JSONValue {
        let graph = catalog.includeGraph
        let versions = catalog.families.flatMap(\.versions).filter { graph.includes[$0.id] != nil || graph.includedBy[$0.id] != nil }
        return .object([
            ("versions", .array(versions.map { version in
                let composed = catalog.composed(version)
                return .object([
                    ("id", .string(version.id)),
                    ("url", .string(SitePaths.version(version.family, version.number))),
                    ("includes", .array((graph.includes[version.id] ?? []).map { include in
                        .object([("written", .string(include.reference.source)), ("target", .string(include.reference.target)),
                                 ("version", .string(include.version))])
                    })),
                    ("included_by", .array(graph.includers(of: version.id).map { .object([("id", .string($0.id)), ("depth", .int($0.depth))]) })),
                    ("composed", .string(composed.source)),
                ])
            })),
        ])
    }
}
