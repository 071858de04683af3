import PromptCatalog

/// The library's block transitions as small inline SVGs made at build time: ONE graph per
/// group of blocks — their `tags.location`, else their package, else their file — so a library
/// of 24–100 blocks gives several graphs of a handful of blocks each.
///
/// In a group's graph the blocks are boxes in one column, in catalog order, each linking to the
/// block's page. Every `compatibleNext` entry between two blocks of the group is an arc drawn on
/// the right of the column, so no arc ever crosses a label; an arc whose blocks disagree on the
/// pose (A's end pose ≠ B's start pose) is dashed with class `gap`. A `compatibleNext` entry
/// naming a block of another group, or an id no loaded block defines, is not drawn: it is listed
/// under the graph (`outgoing`). Everything comes from the catalog in a fixed order, so two
/// builds are byte-identical.
public enum TransitionGraphSVG {
    static let boxWidth = 230, boxHeight = 26, rowGap = 12, padding = 12, fontSize = 12
    static let maxLabel = 32

    /// One group's graph and the transitions it lists instead of drawing.
    public struct Group: Sendable {
        public let title: String
        public let blockCount: Int
        public let transitionCount: Int
        public let svg: String
        public let outgoing: [Outgoing]
    }

    /// A transition out of the group: to a block of another group, or to an id defined elsewhere.
    public struct Outgoing: Sendable {
        public let from: String
        public let to: String
        /// The target block's page; nil when no loaded block has the id.
        public let url: String?
        /// The target's group, or nil when it is defined elsewhere.
        public let group: String?
        public let gap: Bool
    }

    /// - link: the relative URL of the page of the (first) block with an id; nil draws the box without a link.
    public static func groups(_ blocks: [ActionBlock], link: (String) -> String?) -> [Group] {
        var first: [String: ActionBlock] = [:]
        var groupOf: [String: String] = [:]
        var order: [String] = []
        var members: [String: [ActionBlock]] = [:]
        for block in blocks where first[block.id] == nil {
            first[block.id] = block
            let group = block.tags.location?.value ?? block.package ?? fileStem(block.file)
            groupOf[block.id] = group
            if members[group] == nil { order.append(group) }
            members[group, default: []].append(block)
        }
        return order.enumerated().map { number, title in
            let nodes = members[title] ?? []
            let row = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
            var edges: [Edge] = []
            var outgoing: [Outgoing] = []
            var seen = Set<[String]>()
            for block in nodes {
                for next in block.compatibleNext where seen.insert([block.id, next.value]).inserted {
                    let target = first[next.value]
                    var gap = false, edgeTitle = "\(block.id) → \(next.value)"
                    if let target, let end = block.lastPose?.value, let start = target.firstPose?.value, end != start {
                        gap = true
                        edgeTitle += " · pose gap: \(end) → \(start)"
                    }
                    if let to = row[next.value] {
                        edges.append(Edge(from: row[block.id]!, to: to, fromID: block.id, toID: next.value, gap: gap, title: edgeTitle))
                    } else {
                        outgoing.append(Outgoing(from: block.id, to: next.value, url: target == nil ? nil : link(next.value),
                                                 group: target == nil ? nil : groupOf[next.value], gap: gap))
                    }
                }
            }
            return Group(title: title, blockCount: nodes.count, transitionCount: edges.count,
                         svg: svg(title: title, number: number, nodes: nodes, edges: edges, outgoing: outgoing.count, link: link), outgoing: outgoing)
        }
    }

    struct Edge {
        let from: Int
        let to: Int
        let fromID: String
        let toID: String
        let gap: Bool
        let title: String
    }

    // MARK: Drawing

    static func rowY(_ row: Int) -> Int { padding + row * (boxHeight + rowGap) }

    /// How far right an arc between two rows reaches.
    static func bulge(_ from: Int, _ to: Int) -> Int { 18 + min(abs(to - from), 24) * 7 }

    /// - number: the group's place on the page, which keeps its arrow marker's id unique.
    static func svg(title: String, number: Int, nodes: [ActionBlock], edges: [Edge], outgoing: Int, link: (String) -> String?) -> String {
        let reach = edges.map { bulge($0.from, $0.to) }.max() ?? 0
        let width = padding * 2 + boxWidth + reach * 3 / 4 + 12
        let height = padding * 2 + nodes.count * (boxHeight + rowGap) - rowGap
        let label = "Transitions of \(title): \(nodes.count) blocks, \(edges.count) transitions, "
            + "\(edges.filter(\.gap).count) pose gaps, \(outgoing) listed below"
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"transition-graph\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\""
        out += " height=\"\(height)\" role=\"img\" aria-label=\"\(HTML.escape(label))\" font-family=\"system-ui, sans-serif\""
        out += " font-size=\"\(fontSize)\" fill=\"currentColor\">\n"
        out += "<defs><marker id=\"transition-arrow-\(number + 1)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
        out += " orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"currentColor\"/></marker></defs>\n"
        out += "<g class=\"edges\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-opacity=\"0.7\">\n"
        for edge in edges {
            out += "<path class=\"edge\(edge.gap ? " gap" : "")\" data-from=\"\(HTML.escape(edge.fromID))\" data-to=\"\(HTML.escape(edge.toID))\""
            out += " d=\"\(path(edge))\"" + (edge.gap ? " stroke-dasharray=\"5 4\"" : "")
            out += " marker-end=\"url(#transition-arrow-\(number + 1))\"><title>\(HTML.escape(edge.title))</title></path>\n"
        }
        out += "</g>\n"
        for (row, block) in nodes.enumerated() {
            let y = rowY(row)
            let poses = [block.firstPose?.value, block.lastPose?.value].map { $0 ?? "?" }.joined(separator: " → ")
            out += "<g class=\"node\" data-block=\"\(HTML.escape(block.id))\"><title>\(HTML.escape("\(block.id) · \(block.kind?.text ?? "unknown") · \(poses)"))</title>"
            let href = link(block.id)
            if let href { out += "<a href=\"\(HTML.escape(HTML.safeURL(href)))\">" }
            out += "<rect x=\"\(padding)\" y=\"\(y)\" width=\"\(boxWidth)\" height=\"\(boxHeight)\" rx=\"5\" fill=\"currentColor\" fill-opacity=\"0.08\" stroke=\"currentColor\"/>"
            out += "<text x=\"\(padding + 6)\" y=\"\(y + 17)\">" + HTML.escape(short(block.id)) + "</text>"
            if href != nil { out += "</a>" }
            out += "</g>\n"
        }
        return out + "</svg>"
    }

    /// An arc out of the source box's right side and into the target's, right of every label.
    /// It leaves a little above the middle and arrives a little below, so arcs in and out of one
    /// box do not meet.
    private static func path(_ edge: Edge) -> String {
        let x = padding + boxWidth
        let fromY = rowY(edge.from) + boxHeight / 2 - 4, toY = rowY(edge.to) + boxHeight / 2 + 4
        let reach = x + bulge(edge.from, edge.to)
        return "M\(x) \(fromY)C\(reach) \(fromY) \(reach) \(toY) \(x) \(toY)"
    }

    private static func short(_ text: String, limit: Int = maxLabel) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
