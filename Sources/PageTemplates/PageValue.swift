/// A view model as the templates see it: a typed tree made once per page (from any `Encodable`
/// value, see `PageValue.init(encoding:)`), rendered by `PageTemplate` without reflection or
/// dynamic casts, and hashed into the page's fingerprint.
///
/// Nil optionals are left out of objects and lists, so a template looking for them finds the
/// name further up the context stack, or nothing — as Mustache does on the structs themselves.
public enum PageValue: Sendable {
    case text(String)
    case integer(Int)
    case number(Double)
    case flag(Bool)
    case list([PageValue])
    case object(PageObject)
    /// A costly part fully determined by a few inputs (a diff by its two texts): the fingerprint
    /// takes the inputs; the templates see `made`, which is nil when the tree was made only to be
    /// hashed (the page is probably in the previous output already).
    indirect case deferred(inputs: [String], made: PageValue?)
}

/// Named values, in the order the view model declares them (dictionaries: in key order).
public final class PageObject: Sendable {
    public let keys: [String]
    public let values: [PageValue]
    /// Made from a dictionary: Mustache's `count`, `empty` and `sorted` apply to it.
    public let isDictionary: Bool
    private let index: [String: Int]?

    public init(keys: [String], values: [PageValue], isDictionary: Bool = false) {
        self.keys = keys
        self.values = values
        self.isDictionary = isDictionary
        // Small objects are searched in order; large dictionaries get an index.
        if keys.count > 16 {
            var index: [String: Int] = [:]
            index.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() where index[key] == nil { index[key] = position }
            self.index = index
        } else {
            index = nil
        }
    }

    public subscript(key: String) -> PageValue? {
        if let index { return index[key].map { values[$0] } }
        for position in keys.indices where keys[position] == key { return values[position] }
        return nil
    }
}

/// What a page's fingerprint is made with (the site's XXH64 hasher).
public protocol PageValueHasher {
    mutating func add(tag: UInt8)
    mutating func add(_ text: String)
    mutating func add(_ number: UInt64)
}

extension PageValue {
    /// Feeds the whole tree into `hasher`, tagged so that different shapes never hash alike;
    /// deferred parts by their inputs only.
    public func hash<Hasher: PageValueHasher>(into hasher: inout Hasher) {
        switch self {
        case .text(let text):
            hasher.add(tag: 1)
            hasher.add(text)
        case .integer(let number):
            hasher.add(tag: 2)
            hasher.add(UInt64(bitPattern: Int64(number)))
        case .flag(let flag):
            hasher.add(tag: flag ? 3 : 4)
        case .number(let number):
            hasher.add(tag: 5)
            hasher.add(number.bitPattern)
        case .list(let items):
            hasher.add(tag: 7)
            for item in items { item.hash(into: &hasher) }
            hasher.add(tag: 8)
        case .object(let object):
            hasher.add(tag: object.isDictionary ? 12 : 9)
            for (key, value) in zip(object.keys, object.values) {
                hasher.add(key)
                value.hash(into: &hasher)
            }
            hasher.add(tag: 10)
        case .deferred(let inputs, _):
            hasher.add(tag: 13)
            for input in inputs { hasher.add(input) }
        }
    }

    /// What `{{name}}` prints (before escaping).
    var interpolated: String {
        switch self {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return "\(number)"
        case .flag(let flag): return flag ? "true" : "false"
        case .list(let items): return "[" + items.map(\.interpolated).joined(separator: ", ") + "]"
        case .object(let object): return "[" + zip(object.keys, object.values).map { "\($0): \($1.interpolated)" }.joined(separator: ", ") + "]"
        case .deferred(_, let made): return made?.interpolated ?? ""
        }
    }
}
