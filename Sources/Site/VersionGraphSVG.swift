import PromptCatalog

/// A family's versions as an inline SVG graph, made at build time.
///
/// Versions run top to bottom by number (v1 first), one row each, so a family of
/// 50 versions stays readable on a phone: the graph grows in height, never in
/// width. Branches are columns ("lanes"): `main` (or the root's branch) is lane 0,
/// every other branch gets the next lane in order of first appearance. Each row
/// shows the node, `vN`, and the version's labels; the whole row links to the
/// version's page. Colours come from classes (`lane-<i mod 6>`, `edge`, `label`)
/// so the theme can style light and dark; the defaults use `currentColor`.
public enum VersionGraphSVG {
    /// An inline SVG of a family's version graph.
    /// - link: the relative URL of a version's page (e.g. "v3/"), put in an <a href> around each node.
    public static func render(_ family: PromptFamily, link: (Int) -> String) -> String {
        let graph = Graph(family)
        guard !graph.nodes.isEmpty else { return empty(family) }
        let layout = Layout(graph)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"version-graph\" viewBox=\"0 0 \(layout.width) \(layout.height)\""
        out += " width=\"\(layout.width)\" height=\"\(layout.height)\" role=\"img\" aria-label=\"\(HTML.escape(ariaLabel(family, graph)))\""
        out += " font-family=\"system-ui, sans-serif\" font-size=\"\(Layout.fontSize)\" fill=\"currentColor\">\n"
        out += lanes(graph, layout)
        out += edges(graph, layout)
        for (row, node) in graph.nodes.enumerated() {
            out += self.node(node, row: row, graph: graph, layout: layout, href: link(node.number))
        }
        return out + "</svg>"
    }

    // MARK: Parts

    private static func empty(_ family: PromptFamily) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"version-graph empty\" viewBox=\"0 0 160 32\" width=\"160\" height=\"32\""
            + " role=\"img\" aria-label=\"\(HTML.escape(ariaLabel(family, Graph(family))))\" font-family=\"system-ui, sans-serif\""
            + " font-size=\"\(Layout.fontSize)\" fill=\"currentColor\">\n"
            + "<text class=\"empty\" x=\"\(Layout.padding)\" y=\"20\">no versions</text>\n</svg>"
    }

    private static func ariaLabel(_ family: PromptFamily, _ graph: Graph) -> String {
        let versions = graph.nodes.count, branches = graph.lanes.count
        return "Version graph of \(family.title): \(versions) version\(versions == 1 ? "" : "s"), \(branches) branch\(branches == 1 ? "" : "es")"
    }

    /// Lane names as a staircase above the columns, each with a short guide down to the rows.
    private static func lanes(_ graph: Graph, _ layout: Layout) -> String {
        var out = ""
        for (index, name) in graph.lanes.enumerated() {
            let x = layout.laneX(index), baseline = Layout.padding + index * Layout.laneNameHeight + 11
            out += "<g class=\"lane lane-\(index % 6)\" data-lane=\"\(index)\">"
            out += "<text class=\"lane-name\" x=\"\(x - Layout.radius)\" y=\"\(baseline)\">\(HTML.escape(name))</text>"
            out += "<line class=\"lane-guide\" x1=\"\(x)\" y1=\"\(baseline + 4)\" x2=\"\(x)\" y2=\"\(layout.rowsTop)\""
            out += " stroke=\"currentColor\" stroke-opacity=\"0.35\" stroke-dasharray=\"2 3\"/></g>\n"
        }
        return out
    }

    private static func edges(_ graph: Graph, _ layout: Layout) -> String {
        var out = "<g class=\"edges\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\">\n"
        for (row, node) in graph.nodes.enumerated() {
            guard let parentRow = node.parentRow else { continue }
            let path = layout.edgePath(from: parentRow, lane: graph.nodes[parentRow].lane, to: row, lane: node.lane)
            out += "<path class=\"edge lane-\(node.lane % 6)\" data-from=\"\(graph.nodes[parentRow].number)\" data-to=\"\(node.number)\" d=\"\(path)\"/>\n"
        }
        return out + "</g>\n"
    }

    private static func node(_ node: Graph.Node, row: Int, graph: Graph, layout: Layout, href: String) -> String {
        let x = layout.laneX(node.lane), y = layout.rowY(row)
        var classes = "node lane-\(node.lane % 6)"
        if !node.labels.isEmpty { classes += " labelled" }
        if node.missingParent { classes += " missing-parent" }
        let title = ["v\(node.number)", node.branch, node.message].compactMap { $0 }.joined(separator: " · ")
        var out = "<g class=\"\(classes)\" data-version=\"\(node.number)\"><title>\(HTML.escape(title))</title>"
        out += "<a href=\"\(HTML.escape(HTML.safeURL(href)))\">"
        out += "<rect class=\"hit\" x=\"0\" y=\"\(y - Layout.rowHeight / 2)\" width=\"\(layout.width)\" height=\"\(Layout.rowHeight)\" fill-opacity=\"0\"/>"
        out += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"\(Layout.radius)\"/>"
        var textX = layout.textX
        out += "<text class=\"version\" x=\"\(textX)\" y=\"\(y + 4)\">v\(node.number)</text>"
        textX += Layout.textWidth("v\(node.number)") + Layout.gap
        for label in node.labels {
            out += "<text class=\"label label-\(sanitized(label))\" x=\"\(textX)\" y=\"\(y + 4)\">\(HTML.escape(label))</text>"
            textX += Layout.textWidth(label) + Layout.gap
        }
        return out + "</a></g>\n"
    }

    /// A label name as a CSS class suffix: lowercase letters, digits, `-` and `_`; anything else becomes `-`.
    static func sanitized(_ name: String) -> String {
        let cleaned = String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" })
        return cleaned.isEmpty ? "-" : cleaned
    }
}

/// The drawn graph: one node per version number, lanes, parent rows. Parent links are
/// only looked up, never followed, so cycles and dangling parents cannot loop.
private struct Graph {
    struct Node {
        let number: Int
        let branch: String
        let message: String?
        let lane: Int
        /// The row of the parent, when the parent is drawn and is not the node itself.
        let parentRow: Int?
        let missingParent: Bool
        let labels: [String]
    }

    let lanes: [String]
    let nodes: [Node]

    init(_ family: PromptFamily) {
        // Duplicate numbers are drawn once (the first file, as the loader sorts them).
        var seen = Set<Int>()
        let versions = family.versions.sorted { $0.number < $1.number }.filter { seen.insert($0.number).inserted }
        var rowOf: [Int: Int] = [:]
        for (row, version) in versions.enumerated() { rowOf[version.number] = row }

        let root = versions.first { version in version.parent.map { rowOf[$0.value] == nil } ?? true } ?? versions.first
        var lanes: [String] = []
        if let root { lanes.append(versions.contains { $0.branch == "main" } ? "main" : root.branch) }
        for version in versions where !lanes.contains(version.branch) { lanes.append(version.branch) }
        var laneOf: [String: Int] = [:]
        for (index, name) in lanes.enumerated() { laneOf[name] = index }

        self.lanes = lanes
        nodes = versions.map { version in
            let parentRow = version.parent.flatMap { $0.value == version.number ? nil : rowOf[$0.value] }
            return Node(number: version.number, branch: version.branch, message: version.message, lane: laneOf[version.branch] ?? 0,
                        parentRow: parentRow, missingParent: version.parent.map { rowOf[$0.value] == nil } ?? false,
                        labels: family.labels.filter { $0.version == version.number }.map(\.name))
        }
    }
}

/// Integer geometry of the graph.
private struct Layout {
    static let padding = 10
    static let radius = 6
    static let laneWidth = 22
    static let rowHeight = 26
    static let laneNameHeight = 16
    static let fontSize = 12
    static let gap = 8

    let laneCount: Int
    let rowsTop: Int
    let textX: Int
    let width: Int
    let height: Int
    /// For each lane, the rows of its nodes in order, to route edges around them.
    let laneRows: [[Int]]

    init(_ graph: Graph) {
        laneCount = graph.lanes.count
        rowsTop = Self.padding + laneCount * Self.laneNameHeight + 4
        textX = Self.padding + 2 * Self.radius + (laneCount - 1) * Self.laneWidth + 10
        var rows = [[Int]](repeating: [], count: laneCount)
        for (row, node) in graph.nodes.enumerated() { rows[node.lane].append(row) }
        laneRows = rows
        var right = 0
        for node in graph.nodes {
            let texts = ["v\(node.number)"] + node.labels
            right = max(right, textX + texts.map { Self.textWidth($0) }.reduce(0, +) + (texts.count - 1) * Self.gap)
        }
        for (index, name) in graph.lanes.enumerated() {
            right = max(right, Self.padding + index * Self.laneWidth + Self.textWidth(name))
        }
        width = right + Self.padding
        height = rowsTop + graph.nodes.count * Self.rowHeight + Self.padding
    }

    func laneX(_ lane: Int) -> Int { Self.padding + Self.radius + lane * Self.laneWidth }
    func rowY(_ row: Int) -> Int { rowsTop + row * Self.rowHeight + Self.rowHeight / 2 }

    /// A rough width of text at the graph's font size; wide enough for most Latin text.
    static func textWidth(_ text: String) -> Int { text.count * 7 }

    /// Whether a lane has a node strictly between two rows, which a line down that column would cross.
    private func blocked(_ lane: Int, between a: Int, _ b: Int) -> Bool {
        laneRows[lane].contains { $0 > min(a, b) && $0 < max(a, b) }
    }

    /// From parent to child: straight down a shared lane; to another lane, a curve that leaves
    /// the parent's row and runs down the child's column (or the parent's, or straight across,
    /// whichever crosses no other node).
    func edgePath(from parentRow: Int, lane parentLane: Int, to childRow: Int, lane childLane: Int) -> String {
        let px = laneX(parentLane), py = rowY(parentRow), cx = laneX(childLane), cy = rowY(childRow)
        let step = childRow > parentRow ? Self.rowHeight : -Self.rowHeight
        if parentLane == childLane {
            guard blocked(childLane, between: parentRow, childRow) else { return "M\(px) \(py)L\(cx) \(cy)" }
            let bow = px + Self.laneWidth / 2 + 2
            return "M\(px) \(py)C\(bow) \(py + step) \(bow) \(cy - step) \(cx) \(cy)"
        }
        if !blocked(childLane, between: parentRow, childRow) {
            return "M\(px) \(py)C\(px) \(py + step / 2) \(cx) \(py + step / 2) \(cx) \(py + step)L\(cx) \(cy)"
        }
        if !blocked(parentLane, between: parentRow, childRow) {
            return "M\(px) \(py)L\(px) \(cy - step)C\(px) \(cy - step / 2) \(cx) \(cy - step / 2) \(cx) \(cy)"
        }
        return "M\(px) \(py)C\(px) \((py + cy) / 2) \(cx) \((py + cy) / 2) \(cx) \(cy)"
    }
}
