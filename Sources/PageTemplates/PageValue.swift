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
    /// How a large object finds a key: by a table of byte hashes when every key is ASCII (Swift's
    /// dictionary hashed each looked-up name with SipHash, a third of a large page's lookups),
    /// else by a dictionary, which compares keys as Strings do (canonical equivalence).
    private enum Index {
        case none
        /// Positions by FNV-1a of the key's bytes, open addressing, -1 empty.
        case ascii([Int32])
        case strings([String: Int])
    }

    private let index: Index

    public init(keys: [String], values: [PageValue], isDictionary: Bool = false) {
        self.keys = keys
        self.values = values
        self.isDictionary = isDictionary
        // Small objects are searched in order; large ones get an index.
        guard keys.count > 16 else {
            index = .none
            return
        }
        let hashes = keys.map(Self.asciiHash)
        guard !hashes.contains(nil) else {
            var positions: [String: Int] = [:]
            positions.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() where positions[key] == nil { positions[key] = position }
            index = .strings(positions)
            return
        }
        var size = 32
        while size < keys.count * 2 { size <<= 1 }
        var table = [Int32](repeating: -1, count: size)
        let mask = size - 1
        for (position, key) in keys.enumerated() {
            var slot = hashes[position]! & mask
            var taken = false
            while table[slot] >= 0 {
                if keys[Int(table[slot])] == key { taken = true; break }  // the first of equal keys wins
                slot = (slot + 1) & mask
            }
            if !taken { table[slot] = Int32(position) }
        }
        index = .ascii(table)
    }

    /// A name to look up, hashed once (a template's names are hashed when it is compiled).
    public struct Key: Sendable, Equatable {
        public let text: String
        /// FNV-1a of the bytes; nil when the name is not all ASCII.
        let asciiHash: Int?

        public init(_ text: String) {
            self.text = text
            asciiHash = PageObject.asciiHash(text)
        }
    }

    public subscript(key: String) -> PageValue? { self[Key(key)] }

    public subscript(key: Key) -> PageValue? {
        switch index {
        case .ascii(let table):
            // An ASCII name equals another only byte for byte; one that is not ASCII may still
            // equal an ASCII key (the Kelvin sign is K), and is searched for in order.
            guard let hash = key.asciiHash else { return linearSearch(key.text) }
            let mask = table.count - 1
            var slot = hash & mask
            while true {
                let position = Int(table[slot])
                guard position >= 0 else { return nil }
                if keys[position] == key.text { return values[position] }
                slot = (slot + 1) & mask
            }
        case .strings(let positions):
            return positions[key.text].map { values[$0] }
        case .none:
            return linearSearch(key.text)
        }
    }

    private func linearSearch(_ key: String) -> PageValue? {
        for position in keys.indices where keys[position] == key { return values[position] }
        return nil
    }

    /// FNV-1a of an all-ASCII text's bytes; nil for any other text.
    static func asciiHash(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
            }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
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
