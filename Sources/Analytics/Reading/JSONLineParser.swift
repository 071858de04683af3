#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fields of a generation record (SPEC §2.10), as JSON keys and CSV columns.
enum LogField: Int, CaseIterable {
    case id, version, provider, operation, strategy, status, error, latencyMs, cost, createdAt, rating, experiment, arm, node, block, prompt

    var name: String {
        switch self {
        case .latencyMs: "latency_ms"
        case .createdAt: "created_at"
        default: "\(self)"
        }
    }

    var isNumber: Bool { self == .latencyMs || self == .cost || self == .rating }

    private static let byName: [[UInt8]: LogField] = Dictionary(uniqueKeysWithValues: allCases.map { (Array($0.name.utf8), $0) })

    @inline(__always)
    static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> LogField? {
        // Keys are short: compare by length first, then bytes.
        switch bytes.count {
        case 2: return matches(bytes, "id") ? .id : nil
        case 3: return matches(bytes, "arm") ? .arm : nil
        case 4: return matches(bytes, "cost") ? .cost : (matches(bytes, "node") ? .node : nil)
        case 5: return matches(bytes, "error") ? .error : (matches(bytes, "block") ? .block : nil)
        case 6: return matches(bytes, "status") ? .status : (matches(bytes, "rating") ? .rating : (matches(bytes, "prompt") ? .prompt : nil))
        case 7: return matches(bytes, "version") ? .version : nil
        case 8: return matches(bytes, "provider") ? .provider : (matches(bytes, "strategy") ? .strategy : nil)
        case 9: return matches(bytes, "operation") ? .operation : nil
        case 10:
            if matches(bytes, "latency_ms") { return .latencyMs }
            if matches(bytes, "created_at") { return .createdAt }
            if matches(bytes, "experiment") { return .experiment }
            return nil
        default: return nil
        }
    }

    @inline(__always)
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        memcmp(bytes.baseAddress!, name.utf8Start, name.utf8CodeUnitCount) == 0
    }
}

/// A problem on a line: 1-based byte column and a message.
struct LineProblem: Error {
    let column: Int?
    let message: String
}

/// Reads one JSON Lines record straight from bytes: no intermediate objects, strings
/// point into the line unless they hold escapes (then into `scratch`).
struct JSONLineParser {
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    private var scratchUsed = 0

    init() {
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
    }

    /// Frees the scratch buffer; the parser is unusable afterwards.
    func release() { scratch.deallocate() }

    /// `nil` for a blank line; throws `LineProblem` for a malformed one.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws -> LogRecordView? {
        guard let p = line.baseAddress else { return nil }
        var end = line.count
        if end > 0, p[end - 1] == 0x0D { end -= 1 }
        if end > scratchCapacity {
            // Decoded strings are never longer than the line: reserve before any pointer is handed out.
            scratch.deallocate()
            scratchCapacity = end * 2
            scratch = .allocate(capacity: scratchCapacity)
        }
        scratchUsed = 0
        var i = skipSpace(p, 0, end)
        if i == end { return nil }
        guard p[i] == 0x7B else { throw LineProblem(column: i + 1, message: "the line is not a JSON object (it should start with `{`)") }
        i += 1
        var record = LogRecordView()
        var sawStatus = false
        i = skipSpace(p, i, end)
        if i < end, p[i] == 0x7D {
            i += 1
        } else {
            while true {
                guard i < end else { throw LineProblem(column: i + 1, message: "the object is not closed with `}`") }
                guard p[i] == 0x22 else { throw LineProblem(column: i + 1, message: "expected a quoted key") }
                let (key, afterKey) = try string(p, i, end)
                i = skipSpace(p, afterKey, end)
                guard i < end, p[i] == 0x3A else { throw LineProblem(column: i + 1, message: "expected `:` after the key") }
                i = skipSpace(p, i + 1, end)
                guard i < end else { throw LineProblem(column: i + 1, message: "a value is missing after `:`") }
                let valueStart = i
                let field = LogField.named(key)
                switch p[i] {
                case 0x22:
                    let (value, after) = try string(p, i, end)
                    i = after
                    if let field {
                        guard !field.isNumber else { throw typeProblem(field, found: "a string", column: valueStart) }
                        if field == .status {
                            guard let status = GenerationStatus(ByteString(value)) else {
                                throw LineProblem(column: valueStart + 1, message: "`status` must be success, failed or cancelled, found `\(ByteString(value).string)`")
                            }
                            record.status = status
                            sawStatus = true
                        } else {
                            set(field, ByteString(value), in: &record)
                        }
                    }
                case 0x2D, 0x30...0x39:
                    guard let (number, after) = NumberParser.parse(p, from: i, end: end) else {
                        throw LineProblem(column: i + 1, message: "invalid number")
                    }
                    i = after
                    if let field {
                        guard field.isNumber else { throw typeProblem(field, found: "a number", column: valueStart) }
                        guard number >= 0 || field == .rating else {
                            throw LineProblem(column: valueStart + 1, message: "`\(field.name)` cannot be negative")
                        }
                        switch field {
                        case .latencyMs: record.latencyMs = number
                        case .cost: record.cost = number
                        default: record.rating = number
                        }
                    }
                case 0x6E:
                    i = try literal(p, i, end, "null")
                    if field == .status { throw LineProblem(column: valueStart + 1, message: "`status` must be success, failed or cancelled, found null") }
                case 0x74, 0x66:
                    i = try literal(p, i, end, p[i] == 0x74 ? "true" : "false")
                    if let field { throw typeProblem(field, found: "a boolean", column: valueStart) }
                case 0x7B, 0x5B:
                    i = try skipNested(p, i, end)
                    if let field { throw typeProblem(field, found: p[valueStart] == 0x7B ? "an object" : "an array", column: valueStart) }
                default:
                    throw LineProblem(column: i + 1, message: "expected a value (a string, number, true, false, null, object or array)")
                }
                i = skipSpace(p, i, end)
                guard i < end else { throw LineProblem(column: i + 1, message: "the object is not closed with `}`") }
                if p[i] == 0x2C {
                    i = skipSpace(p, i + 1, end)
                    continue
                }
                guard p[i] == 0x7D else { throw LineProblem(column: i + 1, message: "expected `,` or `}` after a value") }
                i += 1
                break
            }
        }
        i = skipSpace(p, i, end)
        guard i == end else { throw LineProblem(column: i + 1, message: "unexpected text after the object (one record per line)") }
        guard sawStatus else { throw LineProblem(column: nil, message: "missing `status` (success, failed or cancelled)") }
        return record
    }

    private func typeProblem(_ field: LogField, found: String, column: Int) -> LineProblem {
        LineProblem(column: column + 1, message: "`\(field.name)` must be \(field.isNumber ? "a number" : "a string") or null, found \(found)")
    }

    @inline(__always)
    private func skipSpace(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        while i < end, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D { i += 1 }
        return i
    }

    private func literal(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ word: StaticString) throws -> Int {
        let count = word.utf8CodeUnitCount
        guard start + count <= end, memcmp(p + start, word.utf8Start, count) == 0 else {
            throw LineProblem(column: start + 1, message: "expected a value (a string, number, true, false, null, object or array)")
        }
        return start + count
    }

    /// The string starting at the quote at `start`: its bytes (escapes decoded) and the index after the closing quote.
    @inline(__always)
    private mutating func string(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws -> (UnsafeBufferPointer<UInt8>, Int) {
        var i = start + 1
        while i < end {
            let byte = p[i]
            if byte == 0x22 { return (UnsafeBufferPointer(start: p + start + 1, count: i - start - 1), i + 1) }
            if byte == 0x5C { return try escapedString(p, start, end) }
            if byte < 0x20 { throw LineProblem(column: i + 1, message: "a control character inside a string must be escaped") }
            i += 1
        }
        throw LineProblem(column: start + 1, message: "unterminated string")
    }

    private mutating func escapedString(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws -> (UnsafeBufferPointer<UInt8>, Int) {
        let output = scratch + scratchUsed
        var written = 0
        var i = start + 1
        func put(_ byte: UInt8) {
            output[written] = byte
            written += 1
        }
        func putScalar(_ scalar: UInt32) {
            if scalar < 0x80 {
                put(UInt8(scalar))
            } else if scalar < 0x800 {
                put(UInt8(0xC0 | (scalar >> 6))); put(UInt8(0x80 | (scalar & 0x3F)))
            } else if scalar < 0x10000 {
                put(UInt8(0xE0 | (scalar >> 12))); put(UInt8(0x80 | ((scalar >> 6) & 0x3F))); put(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                put(UInt8(0xF0 | (scalar >> 18))); put(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
                put(UInt8(0x80 | ((scalar >> 6) & 0x3F))); put(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        func hex4(_ at: Int) throws -> UInt32 {
            guard at + 4 <= end else { throw LineProblem(column: at - 1, message: "incomplete \\u escape") }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = p[at + offset]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw LineProblem(column: at - 1, message: "invalid \\u escape")
                }
                value = value << 4 | digit
            }
            return value
        }
        while i < end {
            let byte = p[i]
            if byte == 0x22 {
                scratchUsed += written
                return (UnsafeBufferPointer(start: output, count: written), i + 1)
            }
            if byte < 0x20 { throw LineProblem(column: i + 1, message: "a control character inside a string must be escaped") }
            guard byte == 0x5C else {
                put(byte)
                i += 1
                continue
            }
            guard i + 1 < end else { break }
            switch p[i + 1] {
            case 0x22: put(0x22)
            case 0x5C: put(0x5C)
            case 0x2F: put(0x2F)
            case 0x62: put(0x08)
            case 0x66: put(0x0C)
            case 0x6E: put(0x0A)
            case 0x72: put(0x0D)
            case 0x74: put(0x09)
            case 0x75:
                var scalar = try hex4(i + 2)
                var length = 6
                if (0xD800...0xDBFF).contains(scalar), i + 12 <= end, p[i + 6] == 0x5C, p[i + 7] == 0x75 {
                    let low = try hex4(i + 8)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        length = 12
                    }
                }
                // A lone surrogate cannot be UTF-8: replaced.
                putScalar((0xD800...0xDFFF).contains(scalar) ? 0xFFFD : scalar)
                i += length
                continue
            default:
                throw LineProblem(column: i + 1, message: "invalid escape `\\\(String(UnicodeScalar(p[i + 1])))`")
            }
            i += 2
        }
        throw LineProblem(column: start + 1, message: "unterminated string")
    }

    /// Skips an object or array value, minding strings.
    private func skipNested(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws -> Int {
        var depth = 0
        var i = start
        while i < end {
            switch p[i] {
            case 0x7B, 0x5B: depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 { return i + 1 }
            case 0x22:
                i += 1
                while i < end, p[i] != 0x22 {
                    if p[i] == 0x5C { i += 1 }
                    i += 1
                }
                guard i < end else { throw LineProblem(column: start + 1, message: "unterminated string inside a nested value") }
            default: break
            }
            i += 1
        }
        throw LineProblem(column: start + 1, message: "a nested object or array is not closed")
    }
}

/// Puts a string value into its field.
@inline(__always)
func set(_ field: LogField, _ value: ByteString, in record: inout LogRecordView) {
    switch field {
    case .id: record.id = value
    case .version: record.version = value
    case .provider: record.provider = value
    case .operation: record.operation = value
    case .strategy: record.strategy = value
    case .error: record.error = value
    case .createdAt: record.createdAt = value
    case .experiment: record.experiment = value
    case .arm: record.arm = value
    case .node: record.node = value
    case .block: record.block = value
    case .prompt: record.prompt = value
    case .status, .latencyMs, .cost, .rating: break
    }
}
