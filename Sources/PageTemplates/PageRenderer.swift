import Foundation

/// The theme's templates by name (`version` for `version.mustache`), for partials and parents.
public struct PageTemplateLibrary: Sendable {
    private var templates: [String: PageTemplate] = [:]

    public init() {}

    public mutating func register(_ source: String, named name: String) throws(PageTemplateError) {
        templates[name] = try PageTemplate(source)
    }

    public func template(named name: String) -> PageTemplate? { templates[name] }

    /// The page as UTF-8 bytes; nil when there is no template of that name.
    public func render(_ value: PageValue, withTemplate name: String) throws(PageRenderError) -> [UInt8]? {
        guard let template = templates[name] else { return nil }
        var renderer = PageRenderer(library: self)
        renderer.out.reserveCapacity(16 * 1024)
        var context = RenderContext(value)
        renderer.render(template.nodes, &context)
        if let partial = renderer.tooDeep {
            throw PageRenderError(message: "`\(partial)` is nested more than \(PageRenderer.maximumDepth) partials or blocks deep (does a partial or block include itself?)")
        }
        if let partial = renderer.tooMany {
            throw PageRenderError(message: "`\(partial)`: the page expands more than \(PageRenderer.maximumExpansions) partials and blocks or \(PageRenderer.maximumBytes >> 20) MB "
                                  + "(do partials include each other several times, level after level?)")
        }
        return renderer.out
    }
}

/// Where an item stands in the list a section is going through: `{{#first()}}`, `{{index()}}`.
public struct PageRenderError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

private struct SequencePosition {
    let first: Bool
    let last: Bool
    let index: Int

    func transform(_ name: String) -> PageValue? {
        switch name {
        case "first": return .flag(first)
        case "last": return .flag(last)
        case "index": return .integer(index)
        case "even": return .flag(index & 1 == 0)
        case "odd": return .flag(index & 1 == 1)
        default: return nil
        }
    }
}

private struct RenderContext {
    var stack: [PageValue]
    var sequence: SequencePosition?
    var indentation: String?
    var inherited: [String: [Node]]?
    var contentType: ContentType = .html

    init(_ value: PageValue) {
        stack = [value]
    }

    /// Enters a partial (the caller puts the fields back with `restore`).
    mutating func enterPartial(indentation indented: String?, overrides: [String: [Node]]?) {
        if let indented { indentation = (indentation ?? "") + indented }
        if let overrides {
            // Blocks given further out win over the ones given nearer the parent.
            inherited = inherited.map { $0.merging(overrides) { outer, _ in outer } } ?? overrides
        }
        sequence = nil
        contentType = .html
    }

    /// Expands a block (the caller puts the fields back with `restore`).
    mutating func expandBlock(indentation indented: String) {
        indentation = (indentation ?? "") + indented
        sequence = nil
    }

    /// Everything but the stack, to put back after a partial or a block.
    var saved: (SequencePosition?, String?, [String: [Node]]?, ContentType) { (sequence, indentation, inherited, contentType) }

    mutating func restore(_ saved: (SequencePosition?, String?, [String: [Node]]?, ContentType)) {
        (sequence, indentation, inherited, contentType) = saved
    }
}

/// Renders nodes into bytes. The context is passed `inout` and every change is undone on the way
/// out (values pushed and popped), so a section over a list does not copy the context stack per item.
private struct PageRenderer {
    /// Partials and blocks inside each other: far beyond any theme, short of the stack's end.
    static let maximumDepth = 64
    /// Partials and blocks expanded for one page, and its size: within the depth limit, partials
    /// that each include the next twice expand 2^64 times.
    static let maximumExpansions = 2_000_000
    static let maximumBytes = 256 << 20
    let library: PageTemplateLibrary
    var out: [UInt8] = []
    var depth = 0
    var expansions = 0
    /// The partial or block that went past `maximumDepth`; nothing more is rendered then.
    var tooDeep: String?
    /// The partial or block that went past `maximumExpansions` or `maximumBytes`; likewise.
    var tooMany: String?

    /// `name` is made only for the message when a limit is reached (not once per partial).
    mutating func nested(_ name: @autoclosure () -> String, _ nodes: [Node], _ context: inout RenderContext) {
        guard tooDeep == nil, tooMany == nil else { return }
        guard depth < Self.maximumDepth else {
            tooDeep = name()
            return
        }
        expansions += 1
        guard expansions <= Self.maximumExpansions, out.count <= Self.maximumBytes else {
            tooMany = name()
            return
        }
        depth += 1
        render(nodes, &context)
        depth -= 1
    }

    mutating func render(_ nodes: [Node], _ context: inout RenderContext) {
        // A content-type pragma holds to the end of its list of nodes.
        let contentType = context.contentType
        defer { context.contentType = contentType }
        guard let indentation = context.indentation, !indentation.isEmpty else {
            for node in nodes { render(node, &context) }
            return
        }
        // Inside an indented partial, whatever a node prints at the start of a line is indented.
        let start = out.count
        for node in nodes {
            let before = out.count
            let lineStart = before > start && out[before - 1] == 0x0A && !(before - 1 > start && out[before - 2] == 0x0D)
            render(node, &context)
            if lineStart, out.count > before { out.insert(contentsOf: indentation.utf8, at: before) }
        }
    }

    mutating func render(_ node: Node, _ context: inout RenderContext) {
        switch node {
        case .text(let text):
            out.append(contentsOf: text.utf8)
        case .variable(let name, let escaped):
            guard let value = lookUp(name, in: context) else { return }
            let text = value.interpolated
            if escaped, context.contentType == .html { HTMLEscaping.append(escaping: text, to: &out) } else { out.append(contentsOf: text.utf8) }
        case .section(let name, let nodes, let inverted):
            let value = lookUp(name, in: context)
            if inverted { renderInverted(value, nodes, &context) } else { renderSection(value, nodes, &context) }
        case .blockExpansion(let name, let defaultNodes, let indentation):
            let saved = context.saved
            let nodes = context.inherited?[name] ?? defaultNodes
            context.expandBlock(indentation: indentation)
            nested("{{$\(name)}}", nodes, &context)
            context.restore(saved)
        case .partial(let name, let dynamic, let indentation, let overrides):
            var templateName = name
            if dynamic {
                guard case .text(let named)? = lookUp(TagName(name), in: context) else { return }
                templateName = named
            }
            guard let template = library.template(named: templateName) else { return }
            let saved = context.saved
            context.enterPartial(indentation: indentation, overrides: overrides)
            nested("{{>\(templateName)}}", template.nodes, &context)
            context.restore(saved)
        case .contentType(let type):
            context.contentType = type
        case .blockDefinition:
            break
        }
    }

    mutating func renderSection(_ value: PageValue?, _ nodes: [Node], _ context: inout RenderContext) {
        switch value {
        case .list(let items)?:
            guard !items.isEmpty else { return }
            let sequence = context.sequence
            context.stack.append(items[0])
            for (index, item) in items.enumerated() {
                context.stack[context.stack.count - 1] = item
                context.sequence = SequencePosition(first: index == 0, last: index == items.count - 1, index: index)
                render(nodes, &context)
            }
            context.stack.removeLast()
            context.sequence = sequence
        case .flag(let flag)?:
            if flag { render(nodes, &context) }
        case let value?:
            render(nodes, pushing: value, &context)
        case nil:
            break
        }
    }

    mutating func renderInverted(_ value: PageValue?, _ nodes: [Node], _ context: inout RenderContext) {
        switch value {
        case .list(let items)?:
            if items.isEmpty { render(nodes, pushing: .list(items), &context) }
        case .flag(let flag)?:
            if !flag { render(nodes, &context) }
        case .some:
            break
        case nil:
            render(nodes, &context)
        }
    }

    /// Renders `nodes` with `value` on top of the stack (outside any list).
    mutating func render(_ nodes: [Node], pushing value: PageValue, _ context: inout RenderContext) {
        let sequence = context.sequence
        context.stack.append(value)
        context.sequence = nil
        render(nodes, &context)
        context.stack.removeLast()
        context.sequence = sequence
    }

    /// The value a tag names: `.` the current value, `.a` from it only, `a.b` from the nearest
    /// context that has an `a`; then the transforms, innermost first.
    func lookUp(_ name: TagName, in context: RenderContext) -> PageValue? {
        var value: PageValue?
        var transformCount = name.transforms.count
        if name.isCurrent {
            value = context.stack.last
        } else if name.isSequenceContext {
            guard let position = context.sequence, transformCount > 0 else { return nil }
            transformCount -= 1
            value = position.transform(name.transforms[transformCount])
        } else if name.isAnchored {
            value = descend(context.stack.last, name.path, from: 0)
        } else if let first = name.path.first {
            // The stack is searched from the top without copying its values.
            var index = context.stack.count - 1
            while index >= 0 {
                if let found = child(of: context.stack[index], named: first) {
                    value = name.path.count == 1 ? found : descend(found, name.path, from: 1)
                    break
                }
                index -= 1
            }
        } else {
            value = context.stack.last
        }
        guard var result = value?.resolved else { return nil }
        while transformCount > 0 {
            transformCount -= 1
            guard let transformed = result.transform(name.transforms[transformCount])?.resolved else { return nil }
            result = transformed
        }
        return result
    }

    /// Follows `path` from its element `start` on.
    func descend(_ value: PageValue?, _ path: [PageObject.Key], from start: Int) -> PageValue? {
        guard var current = value else { return nil }
        for index in start..<path.count {
            guard let found = child(of: current, named: path[index]) else { return nil }
            current = found
        }
        return current
    }

    func child(of value: PageValue, named key: PageObject.Key) -> PageValue? {
        switch value {
        case .object(let object): return object[key]?.resolved
        case .deferred:
            guard case .object(let object)? = value.resolved else { return nil }
            return object[key]?.resolved
        default: return nil
        }
    }
}

extension PageValue {
    /// A deferred part as the templates see it: what it made (nil when only hashed).
    @inline(__always)
    var resolved: PageValue? {
        guard case .deferred = self else { return self }
        return madeOfDeferred
    }

    /// What a deferred part made, itself resolved (nil when it was only hashed).
    private var madeOfDeferred: PageValue? {
        var current = self
        while case .deferred(_, let made) = current {
            guard let made else { return nil }
            current = made
        }
        return current
    }

    /// Mustache's transforms: on text, lists, objects and integers.
    func transform(_ name: String) -> PageValue? {
        switch self {
        case .text(let text):
            switch name {
            case "empty": return .flag(text.isEmpty)
            case "capitalized": return .text(text.capitalized)
            case "lowercased": return .text(text.lowercased())
            case "uppercased": return .text(text.uppercased())
            case "reversed": return .text(String(text.reversed()))
            default: return nil
            }
        case .list(let items):
            switch name {
            case "first": return items.first
            case "last": return items.last
            case "reversed": return .list(items.reversed())
            case "count": return .integer(items.count)
            case "empty": return .flag(items.isEmpty)
            case "sorted": return Self.sorted(items)
            default: return nil
            }
        case .object(let object):
            let entries = zip(object.keys, object.values).map { PageValue.object(PageObject(keys: ["key", "value"], values: [.text($0), $1])) }
            switch name {
            case "count": return .integer(object.keys.count)
            case "empty": return .flag(object.keys.isEmpty)
            case "enumerated": return .list(entries)
            case "sorted":
                let order = object.keys.indices.sorted { object.keys[$0] < object.keys[$1] }
                return .list(order.map { entries[$0] })
            default: return nil
            }
        case .integer(let number):
            switch name {
            case "equalzero": return .flag(number == 0)
            case "plusone": return .integer(number &+ 1)
            case "minusone": return .integer(number &- 1)
            case "even": return .flag(number & 1 == 0)
            case "odd": return .flag(number & 1 == 1)
            default: return nil
            }
        case .flag, .number, .deferred:
            return nil
        }
    }

    /// Lists of texts or of integers sort; others have no order.
    private static func sorted(_ items: [PageValue]) -> PageValue? {
        var texts: [String] = [], numbers: [Int] = []
        for item in items {
            switch item {
            case .text(let text): texts.append(text)
            case .integer(let number): numbers.append(number)
            default: return nil
            }
        }
        if numbers.isEmpty { return .list(texts.sorted().map(PageValue.text)) }
        if texts.isEmpty { return .list(numbers.sorted().map(PageValue.integer)) }
        return nil
    }
}
