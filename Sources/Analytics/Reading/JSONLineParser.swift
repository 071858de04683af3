#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses one JSON Lines line into a `LogRecordView` with a hand-written byte scanner:
/// no Foundation, no allocation per line. String values point into the line itself
/// unless they hold escapes; those are decoded into the parser's scratch buffer, which
/// is at least as long as the line (a decoded string is never longer than its escaped
/// form), so every view of one line stays valid until the next line is parsed.
///
/// Known keys are matched as words; unknown keys are skipped whatever their value,
/// validating it (strings with escapes and UTF-8, nesting up to `maximumDepth`).
struct JSONLineParser: ~Copyable {
    static let maximumDepth = 128

    private(set) var record = LogRecordView()
    /// Optional values left out of `record` (empty, wrong type, out of range).
    private(set) var ignored = IgnoredFields()
    private var unfinished: UnfinishedStatus?
    /// The start of the line being parsed (for the offsets of ignored values).
    private var lineStart: UnsafePointer<UInt8>?
    private let columns: LogColumns
    private var langfuse = LangfuseParts()
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    private var scratchUsed = 0

    init(columns: LogColumns = .promptsite) {
        self.columns = columns
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity + LineReader.padding)
        scratch.initialize(repeating: 0, count: scratchCapacity + LineReader.padding)
    }

    deinit { scratch.deallocate() }

    /// Parses `line` (without its "\n"; must be followed by `LineReader.padding` readable
    /// bytes): a record (in `record`, with `ignored` values), a blank line, or a record of
    /// an unfinished generation. Only a line that is not a record at all throws.
    @inline(__always)
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(ScanFailure) -> ParsedLine {
        guard let base = line.baseAddress else { return .blank }
        let end = base + line.count
        var position = Self.skipSpace(base, end)
        if position == end { return .blank }
        guard position[0] == 0x7B else {
            throw ScanFailure(at: position, "the line is not a JSON object: it should start with `{`, found \(Self.describeValueStart(position, end))")
        }
        if scratchCapacity < line.count { growScratch(line.count) }
        scratchUsed = 0
        record = LogRecordView()
        ignored.reset()
        unfinished = nil
        lineStart = base
        if columns == .langfuse { langfuse.reset() }
        position = Self.skipSpace(position + 1, end)
        if position < end && position[0] == 0x7D {
            position += 1
        } else {
            while true {
                guard position < end else {
                    throw ScanFailure(at: position, "the object is not closed: expected a key or `}` before the end of the line")
                }
                guard position[0] == 0x22 else {
                    if position[0] == 0x7D {
                        throw ScanFailure(at: position, "a comma before `}` is not allowed in JSON")
                    }
                    throw ScanFailure(at: position, "expected a key in double quotes, found \(ByteScanning.describe(position[0]))")
                }
                let keyStart = position + 1
                let (keyEnd, keyEscaped) = try Self.scanString(keyStart, end, opening: position)
                var field: LogField?
                var part: LangfuseKey?
                if keyEscaped {
                    let saved = scratchUsed
                    let decoded = try decode(keyStart, keyEnd)
                    (field, part) = key(decoded.bytes)
                    scratchUsed = saved
                } else {
                    (field, part) = key(UnsafeBufferPointer(start: keyStart, count: keyEnd - keyStart))
                }
                position = Self.skipSpace(keyEnd + 1, end)
                guard position < end, position[0] == 0x3A else {
                    throw ScanFailure(at: position, "expected `:` after the key")
                }
                position = Self.skipSpace(position + 1, end)
                guard position < end else {
                    throw ScanFailure(at: position, "expected a value after `:`")
                }
                if let field {
                    position = try parseValue(of: field, at: position, end)
                } else if let part {
                    position = try parseLangfusePart(part, at: position, end)
                } else {
                    position = try Self.skipValue(position, end, depth: 1)
                }
                position = Self.skipSpace(position, end)
                guard position < end else {
                    throw ScanFailure(at: position, "the object is not closed: expected `,` or `}` before the end of the line")
                }
                if position[0] == 0x2C {
                    position = Self.skipSpace(position + 1, end)
                    continue
                }
                if position[0] == 0x7D {
                    position += 1
                    break
                }
                throw ScanFailure(at: position, "expected `,` or `}` after the value, found \(ByteScanning.describe(position[0]))")
            }
        }
        position = Self.skipSpace(position, end)
        guard position == end else {
            throw ScanFailure(at: position, "unexpected text after the closing `}` (one object per line)")
        }
        if columns == .langfuse { return try langfuse.finish(&record, ignored: &ignored) }
        if record.status != nil { return .record }
        if let unfinished { return .unfinished(unfinished) }
        throw ScanFailure("missing `status`")
    }

    /// The field a key names in these columns, or the Langfuse part it is.
    @inline(__always)
    private func key(_ name: UnsafeBufferPointer<UInt8>) -> (LogField?, LangfuseKey?) {
        guard columns == .langfuse else { return (LogField(paddedKey: name.baseAddress!, count: name.count), nil) }
        switch LangfuseKey(name: name) {
        case .field(let field)?: return (field, nil)
        case let part?: return (nil, part)
        case nil: return (nil, nil)
        }
    }

    /// A Langfuse part: a string (or a number for `promptVersion`), kept until the record is complete.
    private mutating func parseLangfusePart(_ part: LangfuseKey, at start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws(ScanFailure) -> UnsafePointer<UInt8> {
        if start[0] == 0x22 {
            let (close, escaped) = try Self.scanString(start + 1, end, opening: start)
            let value = escaped ? try decode(start + 1, close) : ByteString(UnsafeBufferPointer(start: start + 1, count: close - start - 1))
            langfuse.set(part, value)
            return close + 1
        }
        if Self.isNull(start, end) {
            langfuse.set(part, nil)
            return start + 4
        }
        if part == .promptVersion, start[0] == 0x2D || start[0] &- 0x30 < 10 {
            let (_, next) = try ByteScanning.parseNumber(start, end)
            langfuse.set(part, ByteString(UnsafeBufferPointer(start: start, count: next - start)))
            return next
        }
        let next = try Self.skipValue(start, end, depth: 1)
        ignored.add(name: part.name, offset: lineStart.map { start - $0 },
                    .wrongType(expected: part == .promptVersion ? "a number" : "a string", found: Self.describeValueStart(start, end)))
        return next
    }

    @inline(__always)
    private mutating func ignore(_ field: LogField, at start: UnsafePointer<UInt8>, _ reason: IgnoredValue) {
        ignored.add(field, offset: lineStart.map { start - $0 }, reason)
    }

    /// Skips a value of the wrong type for `field` (ignored for the record); a value that is
    /// not JSON at all makes the line malformed.
    private mutating func skipWrongType(_ field: LogField, expected: String, at start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws(ScanFailure) -> UnsafePointer<UInt8> {
        switch start[0] {
        case 0x22, 0x7B, 0x5B, 0x2D, 0x30...0x39: break
        default:
            guard Self.isLiteral(start, end, "true") || Self.isLiteral(start, end, "false") else {
                throw ScanFailure(at: start, "expected a value after `:`, found \(Self.describeValueStart(start, end))")
            }
        }
        let next = try Self.skipValue(start, end, depth: 1)
        ignore(field, at: start, .wrongType(expected: expected, found: Self.describeValueStart(start, end)))
        return next
    }

    // MARK: - Values of known fields

    @inline(__always)
    private mutating func parseValue(of field: LogField, at start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws(ScanFailure) -> UnsafePointer<UInt8> {
        let first = start[0]
        switch field.kind {
        case .text:
            if first == 0x22 {
                let (close, escaped) = try Self.scanString(start + 1, end, opening: start)
                let value = escaped ? try decode(start + 1, close) : ByteString(UnsafeBufferPointer(start: start + 1, count: close - start - 1))
                if value.isEmpty {
                    record.set(field, text: nil)
                    ignore(field, at: start, .empty)
                } else {
                    record.set(field, text: value)
                }
                return close + 1
            }
            if Self.isNull(start, end) {
                record.set(field, text: nil)
                return start + 4
            }
            record.set(field, text: nil)
            return try skipWrongType(field, expected: "a string", at: start, end)
        case .number, .nonNegativeNumber:
            if first == 0x2D || first &- 0x30 < 10 {
                let (value, next) = try ByteScanning.parseNumber(start, end)
                if let problem = field.problem(with: value) {
                    record.set(field, number: nil)
                    ignore(field, at: start, problem)
                } else {
                    record.set(field, number: value)
                }
                return next
            }
            record.set(field, number: nil)
            if Self.isNull(start, end) { return start + 4 }
            if first == 0x22 && start + 1 < end && start[1] == 0x22 {
                ignore(field, at: start, .empty)
                return start + 2
            }
            return try skipWrongType(field, expected: "a number", at: start, end)
        case .status:
            if first == 0x22 {
                let (close, escaped) = try Self.scanString(start + 1, end, opening: start)
                let value = escaped ? try decode(start + 1, close) : ByteString(UnsafeBufferPointer(start: start + 1, count: close - start - 1))
                if let status = GenerationStatus(value) {
                    record.status = status
                    unfinished = nil
                } else if let status = UnfinishedStatus(value) {
                    record.status = nil
                    unfinished = status
                } else {
                    throw ScanFailure(at: start, "`status` must be success, failed or cancelled, found `\(ByteScanning.quote(value.bytes))`")
                }
                return close + 1
            }
            if Self.isNull(start, end) {
                throw ScanFailure(at: start, "`status` must be success, failed or cancelled, found null")
            }
            throw typeError(field, expected: "a string (success, failed or cancelled)", at: start, end)
        }
    }

    private func typeError(_ field: LogField, expected: String, at start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> ScanFailure {
        let found = Self.describeValueStart(start, end)
        switch start[0] {
        case 0x22, 0x7B, 0x5B, 0x2D, 0x30...0x39:
            return ScanFailure(at: start, "`\(field.name)` must be \(expected), found \(found)")
        default:
            if Self.isLiteral(start, end, "true") || Self.isLiteral(start, end, "false") {
                return ScanFailure(at: start, "`\(field.name)` must be \(expected), found \(found)")
            }
            return ScanFailure(at: start, "expected a value after `:`, found \(found)")
        }
    }

    /// "a string", "a number", "an object", "true" … for messages.
    static func describeValueStart(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> String {
        switch start[0] {
        case 0x22: return "a string"
        case 0x7B: return "an object"
        case 0x5B: return "an array"
        case 0x2D, 0x30...0x39: return "a number"
        default:
            if isLiteral(start, end, "true") { return "true" }
            if isLiteral(start, end, "false") { return "false" }
            if isNull(start, end) { return "null" }
            return ByteScanning.describe(start[0])
        }
    }

    // MARK: - Strings

    /// Decodes the escapes of the string content `start..<close` into the scratch buffer.
    private mutating func decode(_ start: UnsafePointer<UInt8>, _ close: UnsafePointer<UInt8>) throws(ScanFailure) -> ByteString {
        let begin = scratch + scratchUsed
        var output = begin
        var input = start
        while input < close {
            guard let hit = memchr(input, 0x5C, close - input) else {
                output.update(from: input, count: close - input)
                output += close - input
                break
            }
            let backslash = hit.assumingMemoryBound(to: UInt8.self)
            let run = UnsafePointer(backslash) - input
            output.update(from: input, count: run)
            output += run
            input = UnsafePointer(backslash)
            let letter = input[1]
            input += 2
            switch letter {
            case 0x62: output.pointee = 0x08
            case 0x66: output.pointee = 0x0C
            case 0x6E: output.pointee = 0x0A
            case 0x72: output.pointee = 0x0D
            case 0x74: output.pointee = 0x09
            case 0x75:
                var scalar = Self.hex4(input)
                input += 4
                // A lone surrogate (JavaScript cutting text inside an emoji writes one; Python reads it)
                // becomes U+FFFD, as a decoder that must make text of it does: the record is kept.
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = close - input >= 6 && input[0] == 0x5C && input[1] == 0x75 ? Self.hex4(input + 2) : 0
                    if low >= 0xDC00 && low <= 0xDFFF {
                        input += 6
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    scalar = 0xFFFD
                }
                output += Self.encodeUTF8(scalar, into: output)
                continue
            default:
                // `"`, `\` and `/` stand for themselves (the scan rejected anything else).
                output.pointee = letter
            }
            output += 1
        }
        scratchUsed += output - begin
        return ByteString(UnsafeBufferPointer(start: begin, count: output - begin))
    }

    @inline(__always)
    private static func encodeUTF8(_ scalar: UInt32, into output: UnsafeMutablePointer<UInt8>) -> Int {
        switch scalar {
        case 0..<0x80:
            output[0] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[0] = UInt8(0xC0 | (scalar >> 6))
            output[1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        case 0x800..<0x10000:
            output[0] = UInt8(0xE0 | (scalar >> 12))
            output[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            output[2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        default:
            output[0] = UInt8(0xF0 | (scalar >> 18))
            output[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
            output[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            output[3] = UInt8(0x80 | (scalar & 0x3F))
            return 4
        }
    }

    private mutating func growScratch(_ minimum: Int) {
        var capacity = scratchCapacity
        while capacity < minimum { capacity *= 2 }
        scratch.deallocate()
        scratch = .allocate(capacity: capacity + LineReader.padding)
        scratch.initialize(repeating: 0, count: capacity + LineReader.padding)
        scratchCapacity = capacity
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt32 {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: 0xFF
        }
    }

    @inline(__always)
    private static func hex4(_ digits: UnsafePointer<UInt8>) -> UInt32 {
        hexValue(digits[0]) << 12 | hexValue(digits[1]) << 8 | hexValue(digits[2]) << 4 | hexValue(digits[3])
    }

    @inline(__always)
    private static func isHex4(_ digits: UnsafePointer<UInt8>) -> Bool {
        (hexValue(digits[0]) | hexValue(digits[1]) | hexValue(digits[2]) | hexValue(digits[3])) < 16
    }

    /// Finds the closing quote of the string whose content starts at `start`, checking
    /// escapes, control characters and UTF-8 on the way, eight bytes at a time through
    /// plain ASCII. Returns the closing quote and whether the content has escapes.
    @inline(__always)
    static func scanString(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, opening: UnsafePointer<UInt8>) throws(ScanFailure) -> (UnsafePointer<UInt8>, Bool) {
        var position = start
        var escaped = false
        while true {
            // Reading up to 7 bytes past `end` is safe: the buffers are padded.
            while position < end {
                let specials = ByteScanning.stringSpecials(UnsafeRawPointer(position).loadUnaligned(as: UInt64.self))
                if specials != 0 {
                    position += specials.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            guard position < end else {
                throw ScanFailure(at: opening, "unterminated string: the closing `\"` is missing")
            }
            let byte = position[0]
            if byte == 0x22 { return (position, escaped) }
            if byte == 0x5C {
                escaped = true
                guard end - position >= 2 else {
                    throw ScanFailure(at: opening, "unterminated string: the closing `\"` is missing")
                }
                switch position[1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    position += 2
                case 0x75:
                    guard end - position >= 6, isHex4(position + 2) else {
                        throw ScanFailure(at: position, "`\\u` must be followed by four hexadecimal digits")
                    }
                    position += 6
                default:
                    throw ScanFailure(at: position, "invalid escape `\\\(Character(Unicode.Scalar(position[1])))` in a string (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)")
                }
                continue
            }
            if byte < 0x20 {
                throw ScanFailure(at: position, "a control character (\(ByteScanning.describe(byte))) must be escaped inside a string, e.g. as \\n or \\t")
            }
            guard let next = ByteScanning.utf8SequenceEnd(position, end) else {
                throw ScanFailure(at: position, "invalid UTF-8")
            }
            position = next
        }
    }

    // MARK: - Skipping unknown values

    /// The end of the JSON value at `start`, validated but not kept.
    static func skipValue(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, depth: Int) throws(ScanFailure) -> UnsafePointer<UInt8> {
        switch start[0] {
        case 0x22:
            return try scanString(start + 1, end, opening: start).0 + 1
        case 0x7B, 0x5B:
            let isObject = start[0] == 0x7B
            let closing: UInt8 = isObject ? 0x7D : 0x5D
            guard depth < maximumDepth else {
                throw ScanFailure(at: start, "values are nested more than \(maximumDepth) levels deep")
            }
            var position = skipSpace(start + 1, end)
            if position < end && position[0] == closing { return position + 1 }
            while true {
                guard position < end else {
                    throw ScanFailure(at: start, "this \(isObject ? "object" : "array") is not closed before the end of the line")
                }
                if isObject {
                    guard position[0] == 0x22 else {
                        throw ScanFailure(at: position, "expected a key in double quotes, found \(ByteScanning.describe(position[0]))")
                    }
                    position = skipSpace(try scanString(position + 1, end, opening: position).0 + 1, end)
                    guard position < end, position[0] == 0x3A else {
                        throw ScanFailure(at: position, "expected `:` after the key")
                    }
                    position = skipSpace(position + 1, end)
                    guard position < end else {
                        throw ScanFailure(at: position, "expected a value after `:`")
                    }
                }
                position = skipSpace(try skipValue(position, end, depth: depth + 1), end)
                guard position < end else {
                    throw ScanFailure(at: start, "this \(isObject ? "object" : "array") is not closed before the end of the line")
                }
                if position[0] == 0x2C {
                    position = skipSpace(position + 1, end)
                    continue
                }
                if position[0] == closing { return position + 1 }
                throw ScanFailure(at: position, "expected `,` or `\(isObject ? "}" : "]")`, found \(ByteScanning.describe(position[0]))")
            }
        case 0x2D, 0x30...0x39:
            return try ByteScanning.parseNumber(start, end).1
        default:
            if isLiteral(start, end, "true") || isNull(start, end) { return start + 4 }
            if isLiteral(start, end, "false") { return start + 5 }
            throw ScanFailure(at: start, "expected a value, found \(ByteScanning.describe(start[0]))")
        }
    }

    // MARK: - Small pieces

    @inline(__always)
    static func skipSpace(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var position = start
        while position < end {
            let byte = position[0]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { break }
            position += 1
        }
        return position
    }

    @inline(__always)
    static func isNull(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        end - start >= 4 && UnsafeRawPointer(start).loadUnaligned(as: UInt32.self) == 0x6C6C_756E
    }

    static func isLiteral(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        return end - start >= count && memcmp(start, literal.utf8Start, count) == 0
    }
}
