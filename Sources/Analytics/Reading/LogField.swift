/// The known fields of a log record: JSON keys and CSV column names alike.
enum LogField: UInt8, CaseIterable {
    case id, version, provider, operation, strategy, status, error, latencyMs, cost, createdAt
    case rating, experiment, arm, node, block, prompt

    enum Kind { case text, number, nonNegativeNumber, status }

    var name: String {
        switch self {
        case .id: "id"
        case .version: "version"
        case .provider: "provider"
        case .operation: "operation"
        case .strategy: "strategy"
        case .status: "status"
        case .error: "error"
        case .latencyMs: "latency_ms"
        case .cost: "cost"
        case .createdAt: "created_at"
        case .rating: "rating"
        case .experiment: "experiment"
        case .arm: "arm"
        case .node: "node"
        case .block: "block"
        case .prompt: "prompt"
        }
    }

    var kind: Kind {
        switch self {
        case .status: .status
        case .latencyMs, .cost: .nonNegativeNumber
        case .rating: .number
        default: .text
        }
    }

    /// The field named by `count` bytes at `key`, which must be followed by at least
    /// 8 readable bytes (the readers' buffers are padded): the name is compared as one
    /// or two little-endian words instead of byte by byte.
    @inline(__always)
    init?(paddedKey key: UnsafePointer<UInt8>, count: Int) {
        guard count >= 2, count <= 10 else { return nil }
        let word = UnsafeRawPointer(key).loadUnaligned(as: UInt64.self)
        switch count {
        case 2: if word & 0xFFFF == 0x6469 { self = .id; return }
        case 3: if word & 0xFF_FFFF == 0x6D_7261 { self = .arm; return }
        case 4:
            switch word & 0xFFFF_FFFF {
            case 0x7473_6F63: self = .cost; return
            case 0x6564_6F6E: self = .node; return
            default: break
            }
        case 5:
            switch word & 0xFF_FFFF_FFFF {
            case 0x72_6F72_7265: self = .error; return
            case 0x6B_636F_6C62: self = .block; return
            default: break
            }
        case 6:
            switch word & 0xFFFF_FFFF_FFFF {
            case 0x7375_7461_7473: self = .status; return
            case 0x676E_6974_6172: self = .rating; return
            case 0x7470_6D6F_7270: self = .prompt; return
            default: break
            }
        case 7: if word & 0xFF_FFFF_FFFF_FFFF == 0x6E_6F69_7372_6576 { self = .version; return }
        case 8:
            switch word {
            case 0x7265_6469_766F_7270: self = .provider; return
            case 0x7967_6574_6172_7473: self = .strategy; return
            default: break
            }
        case 9: if word == 0x6F69_7461_7265_706F && key[8] == 0x6E { self = .operation; return }
        default:
            let tail = UnsafeRawPointer(key + 8).loadUnaligned(as: UInt16.self)
            switch (word, tail) {
            case (0x5F79_636E_6574_616C, 0x736D): self = .latencyMs; return
            case (0x5F64_6574_6165_7263, 0x7461): self = .createdAt; return
            case (0x656D_6972_6570_7865, 0x746E): self = .experiment; return
            default: break
            }
        }
        return nil
    }

    /// The field named `name` (any buffer).
    init?(name: UnsafeBufferPointer<UInt8>) {
        guard name.count >= 2, name.count <= 10, let base = name.baseAddress else { return nil }
        var padded: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let field = withUnsafeMutableBytes(of: &padded) { raw -> LogField? in
            raw.baseAddress!.copyMemory(from: base, byteCount: name.count)
            return LogField(paddedKey: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: name.count)
        }
        guard let field else { return nil }
        self = field
    }
}

extension LogRecordView {
    /// A null or empty value never clears one already read for the record: exports carry several
    /// names for one field (Langfuse's `calculatedTotalCost` and `totalCost`, `model` and
    /// `providedModelName`), and an empty one must not wipe the other.
    @inline(__always)
    mutating func set(_ field: LogField, text value: ByteString?) {
        guard value != nil else { return }
        switch field {
        case .id: id = value
        case .version: version = value
        case .provider: provider = value
        case .operation: operation = value
        case .strategy: strategy = value
        case .error: error = value
        case .createdAt: createdAt = value
        case .experiment: experiment = value
        case .arm: arm = value
        case .node: node = value
        case .block: block = value
        case .prompt: prompt = value
        case .status, .latencyMs, .cost, .rating: break
        }
    }

    @inline(__always)
    mutating func set(_ field: LogField, number value: Double?) {
        guard value != nil else { return }
        switch field {
        case .latencyMs: latencyMs = value
        case .cost: cost = value
        case .rating: rating = value
        default: break
        }
    }
}

extension LogField {
    /// The largest magnitude the analytics take for a number field; a larger value is
    /// ignored for its record (so sums stay finite and exact, and sketches small).
    var largest: Double {
        switch self {
        case .latencyMs: 30 * 24 * 3_600_000
        case .cost: 1e9
        case .rating: 1e6
        default: .infinity
        }
    }

    var largestDescription: String {
        switch self {
        case .latencyMs: "more than 30 days"
        case .cost: "more than 1,000,000,000"
        case .rating: "beyond ±1,000,000"
        default: "too large"
        }
    }

    /// Why a parsed number cannot be used for this field; nil when it can.
    func problem(with value: Double) -> IgnoredValue? {
        guard value.isFinite else { return .outOfRange("not a finite number") }
        if kind == .nonNegativeNumber && value < 0 { return .negative }
        if abs(value) > largest { return .outOfRange(largestDescription) }
        return nil
    }
}

/// The values a parser left out of the record of the current line, with their byte offsets in the line.
struct IgnoredFields {
    struct Item {
        let name: String
        let offset: Int?
        let reason: IgnoredValue
    }

    private(set) var items: [Item] = []

    @inline(__always)
    mutating func reset() {
        if !items.isEmpty { items.removeAll(keepingCapacity: true) }
    }

    mutating func add(_ field: LogField, offset: Int?, _ reason: IgnoredValue) {
        items.append(Item(name: field.name, offset: offset, reason: reason))
    }

    mutating func add(name: String, offset: Int?, _ reason: IgnoredValue) {
        items.append(Item(name: name, offset: offset, reason: reason))
    }

    /// Tells the sink, columns 1-based.
    func deliver(to sink: inout some LogSink, line: Int, text: UnsafeBufferPointer<UInt8>) {
        for item in items {
            sink.ignored(item.name, item.reason, line: line, column: item.offset.map { $0 + 1 }, text: text)
        }
    }
}
