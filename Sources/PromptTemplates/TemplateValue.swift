/// A value a template variable can take: what YAML examples, `--var` and contexts provide.
public indirect enum TemplateValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    case map(TemplateMap)

    /// The text a value renders as: lists joined with ", ", maps as `key: value` pairs in sorted
    /// key order (promptsite's own rendering; PixSim7's is `pythonRepr`, in written order),
    /// null as the empty string, whole doubles without a fraction.
    public var renderedText: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): Self.format(value)
        case .string(let value): value
        case .list(let items): items.map(\.renderedText).joined(separator: ", ")
        case .map(let members): members.keys.sorted().map { "\($0): \(members[$0]!.renderedText)" }.joined(separator: ", ")
        }
    }

    public static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// The value at a dotted path. A map may hold nested maps or flat dotted keys
    /// (`npc.name: Mara`); the longest matching key wins.
    public func value(at path: ArraySlice<String>) -> TemplateValue? {
        guard let first = path.first else { return self }
        switch self {
        case .map(let members):
            // A flat key has at most as many components as the map's most dotted key: longer
            // prefixes are not joined (a path of 50,000 components joined every prefix). The keys
            // are only counted for such a long path: for every lookup, counting them was quadratic
            // in a map of thousands of flat keys.
            var widest = path.count
            if path.count > 16 {
                widest = 1
                for key in members.keys { widest = max(widest, key.utf8.count(where: { $0 == UInt8(ascii: ".") }) + 1) }
            }
            for length in stride(from: min(path.count, widest), through: 1, by: -1) {
                let key = path.prefix(length).joined(separator: ".")
                if let member = members[key], let found = member.value(at: path.dropFirst(length)) {
                    return found
                }
            }
            return nil
        case .list(let items):
            guard let index = Int(first), items.indices.contains(index) else { return nil }
            return items[index].value(at: path.dropFirst())
        default:
            return nil
        }
    }
}

/// The variables a template is rendered with: a root map reached by dotted paths.
public struct TemplateValues: Hashable, Sendable {
    public private(set) var root: TemplateMap

    public init(_ root: TemplateMap = [:]) { self.root = root }

    public func value(at path: VariablePath) -> TemplateValue? {
        TemplateValue.map(root).value(at: path.components[...])
    }

    /// Sets a value at a dotted path, creating nested maps on the way.
    public mutating func set(_ value: TemplateValue, at path: VariablePath) {
        Self.set(value, at: path.components[...], in: &root)
    }

    /// Values from `other` win over these, merging nested maps. A flat dotted key here
    /// (`npc.name: Mara`, the shape PixSim7's contexts have) gives way to the same path in `other`.
    /// As Python's `dict.update`: a key both have keeps its place here, a new one goes last.
    public func merging(_ other: TemplateValues) -> TemplateValues {
        // Filtered in one pass: a removal from an ordered map is linear in its keys.
        let replaced = Set(Self.dottedPaths(other.root, prefix: ""))
        let base = replaced.isEmpty ? root : TemplateMap(root.lazy.filter { !replaced.contains($0.key) }.map { ($0.key, $0.value) })
        return TemplateValues(Self.merge(base, other.root))
    }

    private static func dottedPaths(_ map: TemplateMap, prefix: String) -> [String] {
        map.flatMap { key, value -> [String] in
            let path = prefix.isEmpty ? key : prefix + "." + key
            var found = prefix.isEmpty ? [] : [path]
            if case .map(let inner) = value { found += dottedPaths(inner, prefix: path) }
            return found
        }
    }

    /// In place: a copy of the map per value set was quadratic in a version of thousands of variables.
    /// A key already there keeps its place, as Python's `d[k] = v` keeps it.
    private static func set(_ value: TemplateValue, at path: ArraySlice<String>, in map: inout TemplateMap) {
        guard let first = path.first else { return }
        if path.count == 1 {
            map[first] = value
            return
        }
        var child: TemplateMap = [:]
        if case .map(let existing)? = map[first] {
            child = existing
            // Holds the key's place and lets go of the map, so that `child` is changed, not copied.
            map[first] = .null
        }
        set(value, at: path.dropFirst(), in: &child)
        map[first] = .map(child)
    }

    private static func merge(_ base: TemplateMap, _ top: TemplateMap) -> TemplateMap {
        var result = base
        for (key, value) in top {
            if case .map(let inner) = value, case .map(let existing)? = result[key] {
                result[key] = .map(merge(existing, inner))
            } else {
                result[key] = value
            }
        }
        return result
    }
}

/// A rendered template and the paths that had no value.
public struct RenderedTemplate: Hashable, Sendable {
    public let text: String
    public let missing: [VariablePath]
    /// The text stopped at `Template.maximumRenderedBytes` (a long value repeated thousands of times).
    public let cut: Bool

    public init(text: String, missing: [VariablePath], cut: Bool = false) {
        self.text = text
        self.missing = missing
        self.cut = cut
    }
}

extension Template {
    /// Renders with values; a missing path renders as the empty string and is listed in `missing`.
    /// Includes are not followed here (compose the template first: `Catalog.composed`).
    public func render(with values: TemplateValues) -> RenderedTemplate {
        var text = ""
        var missing: [VariablePath] = []
        // Each missing path once, in the order met: found by hash (a list searched per reference
        // made 20,000 undeclared variables take seconds, 100,000 past 20 s).
        var seen = Set<VariablePath>()
        var cut = false
        for segment in segments where !cut {
            switch segment {
            case .text(let literal):
                cut = !Self.append(literal, to: &text)
            case .variable(let reference):
                if let value = values.value(at: reference.path) {
                    cut = !Self.append(value.renderedText, to: &text)
                } else if seen.insert(reference.path).inserted {
                    missing.append(reference.path)
                }
            case .include:
                // Composition replaces includes it can resolve; one left over renders as nothing.
                break
            }
        }
        return RenderedTemplate(text: text, missing: missing, cut: cut)
    }

    /// The most a template renders to (4 MB): 30,000 `{{a}}` over a 60,000-character default
    /// would be 1.8 billion characters, from a 200 KB file.
    public static let maximumRenderedBytes = 4 << 20

    /// Appends `piece` unless the text would pass the bound; false when it would.
    private static func append(_ piece: String, to text: inout String) -> Bool {
        guard text.utf8.count + piece.utf8.count <= maximumRenderedBytes else { return false }
        text += piece
        return true
    }
}
