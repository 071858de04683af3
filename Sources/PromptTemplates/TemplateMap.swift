/// A map of template values that keeps its keys in the order they were written, as a Python dict
/// does: PixSim7 prints a dict (`str()` of a context value) in that order. Setting a key it already
/// has keeps the key's place and a new key goes last (Python's `d[k] = v`); a key written twice
/// keeps its first place and its last value (`json.load`, PyYAML, `dict(pairs)`). Two maps with
/// the same members are equal in any order, as Python's `==` holds them.
public struct TemplateMap: Hashable, Sendable {
    /// Keys in order. Keys are Swift strings: canonically equivalent spellings are one key.
    public private(set) var keys: [String] = []
    private var storage: [String: TemplateValue] = [:]

    public init() {}

    /// Python's `dict(pairs)`: a repeated key keeps its first place and takes its last value.
    public init(_ pairs: some Sequence<(String, TemplateValue)>) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> TemplateValue? {
        get { storage[key] }
        set {
            guard let newValue else {
                removeValue(forKey: key)
                return
            }
            if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
        }
    }

    /// Python's `dict.get`: the value of the key with exactly these code points, not of a
    /// canonically equivalent key the subscript would also find.
    public func exactly(_ key: String) -> TemplateValue? { storage.exactly(key) }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> TemplateValue? {
        guard let removed = storage.removeValue(forKey: key) else { return nil }
        keys.remove(at: keys.firstIndex(of: key)!)
        return removed
    }

    /// The values in the order of their keys.
    public var values: [TemplateValue] { keys.map { storage[$0]! } }
    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func mapValues(_ transform: (TemplateValue) throws -> TemplateValue) rethrows -> TemplateMap {
        var mapped = self
        mapped.storage = try storage.mapValues(transform)
        return mapped
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.storage == rhs.storage }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

extension TemplateMap: Sequence {
    public struct Iterator: IteratorProtocol {
        private var keys: IndexingIterator<[String]>
        private let storage: [String: TemplateValue]

        fileprivate init(_ map: TemplateMap) {
            keys = map.keys.makeIterator()
            storage = map.storage
        }

        public mutating func next() -> (key: String, value: TemplateValue)? {
            guard let key = keys.next() else { return nil }
            return (key, storage[key]!)
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }
    public var underestimatedCount: Int { count }
}

extension TemplateMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self.init(elements) }
}
