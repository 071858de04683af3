import Synchronization

/// Turns any `Encodable` view model into a `PageValue` tree through its (compiler-made)
/// `encode(to:)`: no reflection, and the same names Mustache would see on the struct.
extension PageValue {
    /// - makingDeferred: false when the tree is made only to be hashed: deferred parts keep
    ///   their inputs and are not made.
    /// - direct: false makes every value through `encode(to:)`, also a `PageValueConvertible` one
    ///   (the tests compare both trees).
    public init(encoding value: some Encodable, makingDeferred: Bool = true, direct: Bool = true) throws {
        let encoder = TreeEncoder(makingDeferred: makingDeferred, direct: direct)
        self = try encoder.box(value) ?? .object(PageObject(keys: [], values: []))
    }
}

/// A view model that makes its own tree: the ones made thousands of times per build (a version
/// page and its rows) skip `encode(to:)`'s containers, a third of the cost of a version page's
/// tree. It must give the keys `encode(to:)` gives, in the same order, with nil optionals left
/// out: a test makes every version page of the sample site both ways and compares the trees.
public protocol PageValueConvertible: Encodable {
    func fields(_ fields: inout PageFields) throws
}

/// The members of one object, added in the view model's order.
public struct PageFields {
    fileprivate let encoder: TreeEncoder
    fileprivate var keys: [String] = []
    fileprivate var values: [PageValue] = []

    fileprivate init(encoder: TreeEncoder, capacity: Int) {
        self.encoder = encoder
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    public mutating func add(_ key: String, _ value: String) { append(key, .text(value)) }
    public mutating func add(_ key: String, _ value: String?) { if let value { append(key, .text(value)) } }
    public mutating func add(_ key: String, _ value: Int) { append(key, .integer(value)) }
    public mutating func add(_ key: String, _ value: Int?) { if let value { append(key, .integer(value)) } }
    public mutating func add(_ key: String, _ value: Bool) { append(key, .flag(value)) }
    public mutating func add(_ key: String, _ value: [String]) { append(key, .list(value.map(PageValue.text))) }

    public mutating func add<Value: PageValueConvertible>(_ key: String, _ value: Value?) throws {
        if let value { append(key, try encoder.direct(value)) }
    }

    public mutating func add<Value: PageValueConvertible>(_ key: String, _ value: [Value]) throws {
        var items: [PageValue] = []
        items.reserveCapacity(value.count)
        for item in value { items.append(try encoder.direct(item)) }
        append(key, .list(items))
    }

    /// Any other value (a deferred part, a rarely made view), through `encode(to:)`.
    public mutating func add<Value: Encodable>(_ key: String, encoding value: Value?) throws {
        if let value, let boxed = try encoder.box(value) { append(key, boxed) }
    }

    private mutating func append(_ key: String, _ value: PageValue) {
        keys.append(key)
        values.append(value)
    }
}

/// A costly part of a view model, made only when the page is rendered; its fingerprint is its
/// inputs (see `PageValue.deferred`). Other encoders (JSON) encode the made value.
public struct Deferred<Value: Encodable & Sendable>: Encodable, Sendable {
    public let inputs: [String]
    public let make: @Sendable () -> Value

    public init(inputs: [String], make: @escaping @Sendable () -> Value) {
        self.inputs = inputs
        self.make = make
    }

    public func encode(to encoder: any Encoder) throws { try make().encode(to: encoder) }
}

private protocol DeferredEncodable {
    var inputs: [String] { get }
    func made(by encoder: TreeEncoder) throws -> PageValue?
}

extension Deferred: DeferredEncodable {
    fileprivate func made(by encoder: TreeEncoder) throws -> PageValue? { try encoder.box(make()) }
}

/// Dictionaries iterate in a different order in every process: their entries are sorted by key,
/// so a page's fingerprint is the same from build to build.
private protocol UnorderedKeys {}
extension Dictionary: UnorderedKeys {}

private final class TreeEncoder: Encoder {
    let makingDeferred: Bool
    /// Whether a `PageValueConvertible` value makes its own tree.
    let useDirect: Bool
    var storage: Storage = .empty

    enum Storage {
        case empty
        case value(PageValue)
        case object(ObjectBuilder)
        case list(ListBuilder)
    }

    init(makingDeferred: Bool, direct: Bool = true) {
        self.makingDeferred = makingDeferred
        useDirect = direct
    }

    /// The tree a `PageValueConvertible` value makes (through `encode(to:)` when direct trees are off).
    func direct<Value: PageValueConvertible>(_ value: Value) throws -> PageValue {
        guard useDirect else { return try boxEncoding(value) ?? .object(PageObject(keys: [], values: [])) }
        var fields = PageFields(encoder: self, capacity: 16)
        try value.fields(&fields)
        return .object(PageObject(keys: fields.keys, values: fields.values))
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let builder: ObjectBuilder
        if case .object(let existing) = storage {
            builder = existing
        } else {
            builder = ObjectBuilder()
            storage = .object(builder)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoder: self, builder: builder))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let builder: ListBuilder
        if case .list(let existing) = storage {
            builder = existing
        } else {
            builder = ListBuilder()
            storage = .list(builder)
        }
        return UnkeyedContainer(encoder: self, builder: builder)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(encoder: self) }

    /// What was encoded; nil for a nil optional.
    func result() throws -> PageValue? {
        switch storage {
        case .empty: return nil
        case .value(let value): return value
        case .object(let builder): return .object(try builder.object(sorted: false))
        case .list(let builder): return .list(try builder.items())
        }
    }

    /// One nested value: the common leaves directly, anything else through its own encoder.
    /// Types are told apart by identity (a pointer compare), not by dynamic casts, and whether a
    /// type is deferred or a dictionary is looked up once per type.
    func box<Value: Encodable>(_ value: Value) throws -> PageValue? {
        let type = ObjectIdentifier(Value.self)
        if type == ObjectIdentifier(String.self) { return .text(unsafeBitCast(value, to: String.self)) }
        if type == ObjectIdentifier(Int.self) { return .integer(unsafeBitCast(value, to: Int.self)) }
        if type == ObjectIdentifier(Bool.self) { return .flag(unsafeBitCast(value, to: Bool.self)) }
        if type == ObjectIdentifier(Double.self) { return .number(unsafeBitCast(value, to: Double.self)) }
        let kind = EncodedKind.of(Value.self)
        if kind == .deferred, let deferred = value as? any DeferredEncodable {
            return .deferred(inputs: deferred.inputs, made: makingDeferred ? try deferred.made(by: self) : nil)
        }
        if kind == .direct, useDirect, let convertible = value as? any PageValueConvertible { return try direct(convertible) }
        return try boxEncoding(value, kind: kind)
    }

    /// A value through its own `encode(to:)`.
    private func boxEncoding<Value: Encodable>(_ value: Value, kind: EncodedKind? = nil) throws -> PageValue? {
        let kind = kind ?? EncodedKind.of(Value.self)
        let child = TreeEncoder(makingDeferred: makingDeferred, direct: useDirect)
        try value.encode(to: child)
        if kind == .unordered, case .object(let builder) = child.storage {
            return .object(try builder.object(sorted: true))
        }
        return try child.result()
    }
}

/// What the encoder must know about a type beyond `encode(to:)`, found once per type.
private enum EncodedKind: UInt {
    case plain = 1, deferred, unordered, direct

    /// Kinds by type, read without a lock: a value is encoded tens of thousands of times per
    /// build on every core, and a mutex here was taken (and contended) for each. Each slot holds
    /// a type's metadata address with its kind in the low bits (metadata is 8-byte aligned),
    /// 0 when empty; a slot once set never changes. Types that do not fit go to `overflow`.
    private static let slotCount = 1024
    // Allocated once for the process and never freed; only ever reached through `Atomic`.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<Atomic<UInt>> = {
        let slots = UnsafeMutablePointer<Atomic<UInt>>.allocate(capacity: slotCount)
        for index in 0..<slotCount { (slots + index).initialize(to: Atomic(0)) }
        return slots
    }()
    private static let overflow = Mutex<[ObjectIdentifier: EncodedKind]>([:])

    static func of<Value>(_ type: Value.Type) -> EncodedKind {
        let address = unsafeBitCast(ObjectIdentifier(type), to: UInt.self)
        guard address & 7 == 0 else { return kindInOverflow(type) }
        // (`>>` binds tighter than `&*`: the product is taken first, its top ten bits are the slot.)
        var slot = Int(truncatingIfNeeded: ((address >> 3) &* 0x9E37_79B9_7F4A_7C15) >> 54) & (slotCount - 1)
        for _ in 0..<8 {
            let stored = (slots + slot).pointee.load(ordering: .acquiring)
            if stored == 0 {
                let kind = classify(type)
                let (exchanged, found) = (slots + slot).pointee.compareExchange(expected: 0, desired: address | kind.rawValue, ordering: .acquiringAndReleasing)
                if exchanged || found & ~7 == address { return kind }
            } else if stored & ~7 == address {
                return EncodedKind(rawValue: stored & 7)!
            }
            slot = (slot + 1) & (slotCount - 1)
        }
        return kindInOverflow(type)
    }

    private static func kindInOverflow<Value>(_ type: Value.Type) -> EncodedKind {
        let id = ObjectIdentifier(type)
        if let kind = overflow.withLock({ $0[id] }) { return kind }
        let kind = classify(type)
        overflow.withLock { $0[id] = kind }
        return kind
    }

    private static func classify<Value>(_ type: Value.Type) -> EncodedKind {
        type is any DeferredEncodable.Type ? .deferred : type is any UnorderedKeys.Type ? .unordered
            : type is any PageValueConvertible.Type ? .direct : .plain
    }
}

/// A value not encoded yet (a nested container or a super encoder), taken when the tree is made.
private enum Slot {
    case ready(PageValue)
    case pending(TreeEncoder)

    func value() throws -> PageValue? {
        switch self {
        case .ready(let value): return value
        case .pending(let encoder): return try encoder.result()
        }
    }
}

private final class ObjectBuilder {
    var keys: [String] = []
    var slots: [Slot] = []

    /// Appended as given, not searched: a compiler-made `encode(to:)` gives each key once (a key
    /// given twice by a hand-written one is kept twice, and templates see the first).
    func set(_ key: String, _ slot: Slot) {
        keys.append(key)
        slots.append(slot)
    }

    func object(sorted: Bool) throws -> PageObject {
        var keys: [String] = [], values: [PageValue] = []
        keys.reserveCapacity(self.keys.count)
        values.reserveCapacity(self.keys.count)
        for (key, slot) in zip(self.keys, slots) {
            guard let value = try slot.value() else { continue }
            keys.append(key)
            values.append(value)
        }
        guard sorted else { return PageObject(keys: keys, values: values) }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        return PageObject(keys: order.map { keys[$0] }, values: order.map { values[$0] }, isDictionary: true)
    }
}

private final class ListBuilder {
    var slots: [Slot] = []

    func items() throws -> [PageValue] { try slots.compactMap { try $0.value() } }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let builder: ObjectBuilder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {}
    mutating func encode(_ value: String, forKey key: Key) throws { builder.set(key.stringValue, .ready(.text(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { builder.set(key.stringValue, .ready(.integer(value))) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { builder.set(key.stringValue, .ready(.flag(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { builder.set(key.stringValue, .ready(.number(value))) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        if let boxed = try encoder.box(value) { builder.set(key.stringValue, .ready(boxed)) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = TreeEncoder(makingDeferred: encoder.makingDeferred, direct: encoder.useDirect)
        builder.set(key.stringValue, .pending(child))
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = TreeEncoder(makingDeferred: encoder.makingDeferred, direct: encoder.useDirect)
        builder.set(key.stringValue, .pending(child))
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let child = TreeEncoder(makingDeferred: encoder.makingDeferred, direct: encoder.useDirect)
        builder.set(name, .pending(child))
        return child
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    let builder: ListBuilder
    var codingPath: [any CodingKey] { [] }
    var count: Int { builder.slots.count }

    mutating func encodeNil() throws {}
    mutating func encode(_ value: String) throws { builder.slots.append(.ready(.text(value))) }
    mutating func encode(_ value: Int) throws { builder.slots.append(.ready(.integer(value))) }
    mutating func encode(_ value: Bool) throws { builder.slots.append(.ready(.flag(value))) }
    mutating func encode(_ value: Double) throws { builder.slots.append(.ready(.number(value))) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        if let boxed = try encoder.box(value) { builder.slots.append(.ready(boxed)) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = TreeEncoder(makingDeferred: encoder.makingDeferred, direct: encoder.useDirect)
        builder.slots.append(.pending(child))
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = TreeEncoder(makingDeferred: encoder.makingDeferred, direct: encoder.useDirect)
        builder.slots.append(.pending(child))
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = TreeEncoder(makingDeferred: encoder.makingDeferred, direct: encoder.useDirect)
        builder.slots.append(.pending(child))
        return child
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { encoder.storage = .empty }
    mutating func encode(_ value: String) throws { encoder.storage = .value(.text(value)) }
    mutating func encode(_ value: Int) throws { encoder.storage = .value(.integer(value)) }
    mutating func encode(_ value: Bool) throws { encoder.storage = .value(.flag(value)) }
    mutating func encode(_ value: Double) throws { encoder.storage = .value(.number(value)) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        encoder.storage = try encoder.box(value).map(TreeEncoder.Storage.value) ?? .empty
    }
}
