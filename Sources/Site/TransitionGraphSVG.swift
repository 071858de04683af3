import PromptCatalog

/// The whole library's block transitions as an inline SVG, made at build time.
///
/// Blocks are boxes grouped in columns by their `tags.location` (else their package,
/// else their file), in catalog order. Every `compatibleNext` entry is an arrow; an arrow
/// whose blocks disagree on the pose (A's end pose ≠ B's start pose) is dashed with class
/// `gap`; an id no loaded block defines points at a small `external` node in a last
/// column, "defined elsewhere". Each block box links to the block's page. Everything
/// comes from the catalog in a fixed order, so two builds are byte-identical.
public enum TransitionGraphSVG {
    static let boxWidth = 190, boxHeight = 26, rowGap = 14, columnGap = 90, padding = 12, headerHeight = 24, fontSize = 12
    static let maxLabel = 26

    /// - link: the relative URL of the page of the (first) block with an id; nil draws the box without a link.
    public static func render(_ blocks: [ActionBlock], link: (String) -> String?) -> String {
        let graph = Graph(blocks)
        guard !graph.nodes.isEmpty else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"transition-graph empty\" viewBox=\"0 0 200 32\" width=\"200\" height=\"32\""
                + " role=\"img\" aria-label=\"Transition graph: no action blocks\" font-family=\"system-ui, sans-serif\" font-size=\"\(fontSize)\""
                + " fill=\"currentColor\">\n<text x=\"\(padding)\" y=\"20\">no action blocks</text>\n</svg>"
        }
        let rows = graph.columns.map(\.count).max() ?? 0
        let width = padding * 2 + graph.columns.count * boxWidth + (graph.columns.count - 1) * columnGap
        let height = padding * 2 + headerHeight + rows * (boxHeight + rowGap)
        let label = "Transition graph: \(graph.nodes.filter { !$0.external }.count) blocks, \(graph.edges.count) transitions, "
            + "\(graph.edges.filter(\.gap).count) pose gaps, \(graph.nodes.filter(\.external).count) defined elsewhere"
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"transition-graph\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\""
        out += " height=\"\(height)\" role=\"img\" aria-label=\"\(HTML.escape(label))\" font-family=\"system-ui, sans-serif\""
        out += " font-size=\"\(fontSize)\" fill=\"currentColor\">\n"
        out += "<defs><marker id=\"transition-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
        out += " orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"currentColor\"/></marker></defs>\n"
        for (index, title) in graph.columnTitles.enumerated() {
            out += "<text class=\"group\" x=\"\(columnX(index))\" y=\"\(padding + 14)\" font-weight=\"bold\">\(HTML.escape(short(title)))"
            out += "<title>\(HTML.escape(title))</title></text>\n"
        }
        out += "<g class=\"edges\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-opacity=\"0.7\">\n"
        for edge in graph.edges {
            let from = graph.nodes[edge.from], to = graph.nodes[edge.to]
            var classes = "edge"
            if edge.gap { classes += " gap" }
            if to.external { classes += " to-external" }
            out += "<path class=\"\(classes)\" data-from=\"\(HTML.escape(from.id))\" data-to=\"\(HTML.escape(to.id))\" d=\"\(path(from, to))\""
            out += edge.gap ? " stroke-dasharray=\"5 4\"" : ""
            out += " marker-end=\"url(#transition-arrow)\"><title>\(HTML.escape(edge.title))</title></path>\n"
        }
        out += "</g>\n"
        for node in graph.nodes {
            let x = columnX(node.column), y = rowY(node.row)
            let classes = node.external ? "node external" : "node"
            out += "<g class=\"\(classes)\" data-block=\"\(HTML.escape(node.id))\"><title>\(HTML.escape(node.title))</title>"
            let href = node.external ? nil : link(node.id)
            if let href { out += "<a href=\"\(HTML.escape(HTML.safeURL(href)))\">" }
            let boxX = node.external ? x + boxWidth / 4 : x, boxW = node.external ? boxWidth / 2 : boxWidth
            out += "<rect x=\"\(boxX)\" y=\"\(y)\" width=\"\(boxW)\" height=\"\(boxHeight)\" rx=\"5\" fill=\"currentColor\" fill-opacity=\"0.08\""
            out += " stroke=\"currentColor\"\(node.external ? " stroke-dasharray=\"2 2\"" : "")/>"
            out += "<text x=\"\(boxX + 6)\" y=\"\(y + 17)\"\(node.external ? " font-size=\"10\"" : "")>"
            out += HTML.escape(short(node.id, limit: node.external ? maxLabel / 2 + 2 : maxLabel)) + "</text>"
            if href != nil { out += "</a>" }
            out += "</g>\n"
        }
        return out + "</svg>"
    }

    // MARK: Geometry

    static func columnX(_ column: Int) -> Int { padding + column * (boxWidth + columnGap) }
    static func rowY(_ row: Int) -> Int { padding + headerHeight + row * (boxHeight + rowGap) }

    private static func path(_ from: Graph.Node, _ to: Graph.Node) -> String {
        let fromY = rowY(from.row) + boxHeight / 2, toY = rowY(to.row) + boxHeight / 2
        let toInset = to.external ? boxWidth / 4 : 0
        if from.column == to.column && !to.external {
            // Same column: an arc out of the right side and back in.
            let x = columnX(from.column) + boxWidth, bulge = 24 + min(abs(to.row - from.row), 6) * 6
            return "M\(x) \(fromY)C\(x + bulge) \(fromY) \(x + bulge) \(toY) \(x) \(toY)"
        }
        if to.column > from.column {
            let x1 = columnX(from.column) + boxWidth, x2 = columnX(to.column) + toInset, mid = (x1 + x2) / 2
            return "M\(x1) \(fromY)C\(mid) \(fromY) \(mid) \(toY) \(x2) \(toY)"
        }
        let x1 = columnX(from.column), x2 = columnX(to.column) + boxWidth - toInset, mid = (x1 + x2) / 2
        return "M\(x1) \(fromY)C\(mid) \(fromY) \(mid) \(toY) \(x2) \(toY)"
    }

    private static func short(_ text: String, limit: Int = maxLabel) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    // MARK: Graph

    struct Graph {
        struct Node {
            let id: String
            let column: Int
            let row: Int
            let external: Bool
            let title: String
        }

        struct Edge {
            let from: Int
            let to: Int
            let gap: Bool
            let title: String
        }

        var nodes: [Node] = []
        var edges: [Edge] = []
        var columns: [[Int]] = []
        var columnTitles: [String] = []

        init(_ blocks: [ActionBlock]) {
            var index: [String: Int] = [:]
            var first: [String: ActionBlock] = [:]
            var groups: [String: Int] = [:]
            for block in blocks where index[block.id] == nil {
                let group = block.tags.location?.value ?? block.package ?? fileStem(block.file)
                let column = groups[group] ?? {
                    groups[group] = columns.count
                    columns.append([])
                    columnTitles.append(group)
                    return columns.count - 1
                }()
                index[block.id] = nodes.count
                first[block.id] = block
                let poses = [block.firstPose?.value, block.lastPose?.value].map { $0 ?? "?" }.joined(separator: " → ")
                nodes.append(Node(id: block.id, column: column, row: columns[column].count, external: false,
                                  title: "\(block.id) · \(block.kind?.text ?? "unknown") · \(poses)"))
                columns[column].append(nodes.count - 1)
            }
            let known = nodes.count
            var externalColumn: Int?
            var seen = Set<[Int]>()
            for block in blocks {
                guard let source = index[block.id], first[block.id].map({ $0.idLocation == block.idLocation }) == true else { continue }
                for next in block.compatibleNext {
                    let target: Int
                    if let existing = index[next.value] {
                        target = existing
                    } else {
                        let column = externalColumn ?? {
                            columns.append([])
                            columnTitles.append("defined elsewhere")
                            return columns.count - 1
                        }()
                        externalColumn = column
                        index[next.value] = nodes.count
                        nodes.append(Node(id: next.value, column: column, row: columns[column].count, external: true,
                                          title: "\(next.value) · defined elsewhere"))
                        columns[column].append(nodes.count - 1)
                        target = nodes.count - 1
                    }
                    guard seen.insert([source, target]).inserted else { continue }
                    var gap = false, title = "\(block.id) → \(next.value)"
                    if target < known, let other = first[next.value], let end = block.lastPose?.value, let start = other.firstPose?.value, end != start {
                        gap = true
                        title += " · pose gap: \(end) → \(start)"
                    }
                    edges.append(Edge(from: source, to: target, gap: gap, title: title))
                }
            }
        }
    }
}
