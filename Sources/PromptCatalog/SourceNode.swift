import Diagnostics
import PromptTemplates

/// A scalar as YAML or JSON resolved it: `3` is an int, `"3"` a string.
public enum ScalarValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    /// What a reader calls this kind of value in a diagnostic.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        }
    }
}

/// A YAML or JSON value with the place it was written: the only place in the
/// project where loosely typed document data lives. Loaders turn it into model values.
public struct SourceNode: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case scalar(ScalarValue, text: String)
        case mapping([Member])
        case sequence([SourceNode])
    }

    public struct Member: Hashable, Sendable {
        public let key: String
        public let keyLocation: SourceLocation
        public let value: SourceNode
        /// Whether PyYAML reads the key as a string: `1:`, `true:` and `~:` are an int, a bool and None, which a
        /// Python lookup by text (`table.get("1")`) never finds.
        public let keyIsString: Bool

        public init(key: String, keyLocation: SourceLocation, value: SourceNode, keyIsString: Bool = true) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
            self.keyIsString = keyIsString
        }
    }

    public let kind: Kind
    public let location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    public var members: [Member]? {
        if case .mapping(let members) = kind { return members }
        return nil
    }

    public var items: [SourceNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    public var scalar: ScalarValue? {
        if case .scalar(let value, _) = kind { return value }
        return nil
    }

    /// The member with this key, if this is a mapping that has it.
    public subscript(key: String) -> SourceNode? {
        members?.first { $0.key == key }?.value
    }

    public func member(_ key: String) -> Member? {
        members?.first { $0.key == key }
    }

    public var string: String? {
        if case .string(let value)? = scalar { return value }
        return nil
    }

    /// An integer, also from a whole double such as `3.0`.
    public var int: Int? {
        switch scalar {
        case .int(let value)?: value
        case .double(let value)? where value == value.rounded() && abs(value) < 9e15: Int(value)
        default: nil
        }
    }

    public var double: Double? {
        switch scalar {
        case .int(let value)?: Double(value)
        case .double(let value)?: value
        default: nil
        }
    }

    public var bool: Bool? {
        if case .bool(let value)? = scalar { return value }
        return nil
    }

    public var isNull: Bool { scalar == .null }

    /// A scalar's text as written (numbers and booleans included).
    public var scalarText: String? {
        if case .scalar(_, let text) = kind { return text }
        return nil
    }

    /// What a reader calls this kind of node in a diagnostic.
    public var kindName: String {
        switch kind {
        case .scalar(let value, _): value.kindName
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// The node as a template value (mappings become maps in the order written, sequences lists).
    /// A repeated key keeps its first place and its last value, as `json.load` and PyYAML read it.
    public var templateValue: TemplateValue {
        switch kind {
        case .scalar(let value, _):
            switch value {
            case .null: .null
            case .bool(let bool): .bool(bool)
            case .int(let int): .int(int)
            case .double(let double): .double(double)
            case .string(let string): .string(string)
            }
        case .mapping(let members):
            .map(TemplateMap(members.lazy.map { ($0.key, $0.value.templateValue) }))
        case .sequence(let items):
            .list(items.map(\.templateValue))
        }
    }

    /// Leaf values of nested mappings as dotted paths: `{npc: {name: Mara}}` gives `npc.name`.
    public func flattenedLeaves(prefix: [String] = []) -> [(path: VariablePath, node: SourceNode)] {
        guard let members else { return [(VariablePath(prefix), self)] }
        return members.flatMap { member in
            member.value.flattenedLeaves(prefix: prefix + member.key.split(separator: ".").map(String.init))
        }
    }
}

/// The repeated keys of one file, as warnings: the first ones located and listed, the rest counted
/// in one more (a file of a million repeats is a hundred warnings, not a million kept in memory).
struct RepeatedKeys: Sendable {
    let code: String
    private(set) var listed: [Diagnostic] = []
    private var more = 0

    init(code: String) { self.code = code }

    mutating func add(_ warning: @autoclosure () -> Diagnostic) {
        if listed.count < Diagnostic.listedPerFileAndCode - 1 { listed.append(warning()) } else { more += 1 }
    }

    func warnings(file: String) -> [Diagnostic] {
        guard more > 0 else { return listed }
        return listed + [.warning(code, "\(more) more repeated key\(more == 1 ? "" : "s") in this file, not listed", at: SourceLocation(file: file),
                                  hint: "fix the ones listed, then check again")]
    }
}
