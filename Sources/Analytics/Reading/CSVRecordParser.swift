#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses CSV records (RFC 4180) into `LogRecordView`s. The header row names the
/// columns with the JSON keys; unknown columns are ignored. A record is first cut into
/// fields (kept in a reused array of spans), then, once its field count matches the
/// header, the known fields are read: text as is (a quoted field with `""` is decoded
/// into the scratch buffer), numbers parsed from text, `status` checked.
///
/// Empty unquoted field = nil; an empty quoted field (`""`) is an empty string (and nil
/// for a number). A quote inside an unquoted field, text after a closing quote and a
/// quote never closed are malformed.
struct CSVRecordParser: ~Copyable {
    private struct FieldSpan {
        var start: UnsafePointer<UInt8>
        var count: Int
        var quoted: Bool
        var doubledQuotes: Bool
    }

    private(set) var record = LogRecordView()
    /// Optional values left out of `record` (not a number, negative, out of range).
    private(set) var ignored = IgnoredFields()
    /// The known field of each column, from the header.
    private var columns: [LogField?] = []
    /// With the Langfuse preset: the part each column is (when not one of our fields).
    private var parts: [LangfuseKey?] = []
    private let preset: LogColumns
    private var langfuse = LangfuseParts()
    private var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity: Int
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int
    private var scratchUsed = 0

    init(columns: LogColumns = .promptsite) {
        preset = columns
        spanCapacity = 32
        spans = .allocate(capacity: spanCapacity)
        scratchCapacity = 4096
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit {
        spans.deallocate()
        scratch.deallocate()
    }

    /// Reads the header row; throws when it cannot be used (then no record can be read).
    mutating func readHeader(_ bytes: UnsafeBufferPointer<UInt8>) throws(ScanFailure) {
        // Lines ended by a lone `\r` (Excel's "CSV (Macintosh)") make the whole file one line: its
        // header would take every row as more columns, and no record would be read, without a word.
        if let last = bytes.lastIndex(where: { $0 != 0x0D }), bytes[..<last].contains(0x0D) {
            throw ScanFailure("the lines of this file end with a lone carriage return (`\\r`, the old Mac line ending), so the whole file reads as its header row and no record can be read: save it with LF or CRLF line endings")
        }
        let count = try split(bytes)
        ensureScratch(bytes.count)
        scratchUsed = 0
        var columns: [LogField?] = []
        var hasStatus = false
        for index in 0..<count {
            var name = text(of: spans[index]).bytes
            while let first = name.first, first == 0x20 || first == 0x09 { name = UnsafeBufferPointer(rebasing: name.dropFirst()) }
            while let last = name.last, last == 0x20 || last == 0x09 { name = UnsafeBufferPointer(rebasing: name.dropLast()) }
            if preset == .langfuse {
                let key = LangfuseKey(name: name)
                if case .field(let field)? = key {
                    columns.append(field)
                    parts.append(nil)
                } else {
                    columns.append(nil)
                    parts.append(key)
                }
                continue
            }
            let field = LogField(name: name)
            if field == .status { hasStatus = true }
            columns.append(field)
        }
        guard hasStatus || preset == .langfuse else {
            // A spreadsheet in a comma-decimal locale separates columns with `;`: the header is one column.
            let pieces = bytes.split(separator: UInt8(ascii: ";")).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            if pieces.count > 1, pieces.contains(where: { $0 == "status" || $0 == "\"status\"" }) {
                throw ScanFailure("the header row is separated by `;`, not by commas, so it has no `status` column: export the file with commas")
            }
            throw ScanFailure("the header row has no `status` column, so no row can be read (the columns are named as the JSON keys: id, version, provider, status, …)")
        }
        self.columns = columns
    }

    /// Parses one record (without its "\n"): a record (in `record`, with `ignored` values),
    /// a blank line, or a record of an unfinished generation.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ScanFailure) -> ParsedLine {
        guard let base = bytes.baseAddress else { return .blank }
        var blank = true
        for byte in bytes where byte != 0x20 && byte != 0x09 && byte != 0x0D {
            blank = false
            break
        }
        if blank { return .blank }
        let count = try split(bytes)
        guard count == columns.count else {
            let position = count > columns.count ? spans[columns.count].start - (spans[columns.count].quoted ? 1 : 0) : base + bytes.count
            throw ScanFailure(at: position, "the row has \(count) field\(count == 1 ? "" : "s") but the header has \(columns.count)")
        }
        ensureScratch(bytes.count)
        scratchUsed = 0
        record = LogRecordView()
        ignored.reset()
        var unfinished: UnfinishedStatus?
        if preset == .langfuse { langfuse.reset() }
        for index in 0..<count {
            guard let field = columns[index] else {
                if preset == .langfuse, let part = parts[index] {
                    let value = text(of: spans[index])
                    langfuse.set(part, value.isEmpty ? nil : value)
                }
                continue
            }
            let span = spans[index]
            switch field.kind {
            case .text:
                if span.count == 0 && !span.quoted {
                    record.set(field, text: nil)
                    continue
                }
                let value = text(of: span)
                if ByteScanning.firstInvalidUTF8(value.bytes) != nil {
                    // An optional value: left out of its record, which is kept.
                    record.set(field, text: nil)
                    ignored.add(field, offset: span.start - (span.quoted ? 1 : 0) - base, .notUTF8)
                    continue
                }
                record.set(field, text: value.isEmpty ? nil : value)
            case .number, .nonNegativeNumber:
                switch number(of: span, field: field) {
                case .success(let value): record.set(field, number: value)
                case .failure(let reason):
                    record.set(field, number: nil)
                    ignored.add(field, offset: span.start - (span.quoted ? 1 : 0) - base, reason)
                }
            case .status:
                let value = text(of: span)
                guard !value.isEmpty else { throw ScanFailure(at: span.start, "missing `status`") }
                if let status = GenerationStatus(value) {
                    record.status = status
                } else if let status = UnfinishedStatus(value) {
                    unfinished = status
                } else {
                    throw ScanFailure(at: span.start, "`status` must be success, failed or cancelled, found `\(ByteScanning.quote(value.bytes))`")
                }
            }
        }
        if preset == .langfuse { return try langfuse.finish(&record, ignored: &ignored) }
        if record.status != nil { return .record }
        if let unfinished { return .unfinished(unfinished) }
        throw ScanFailure("missing `status`")
    }

    /// Cuts a record into field spans; returns the number of fields.
    private mutating func split(_ bytes: UnsafeBufferPointer<UInt8>) throws(ScanFailure) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var end = base + bytes.count
        if end > base && end[-1] == 0x0D { end -= 1 }
        var position = base
        var count = 0
        while true {
            if count == spanCapacity { growSpans() }
            if position < end && position[0] == 0x22 {
                let opening = position
                position += 1
                let contentStart = position
                var doubled = false
                while true {
                    guard let hit = memchr(position, 0x22, end - position) else {
                        throw ScanFailure(at: opening, "this quoted field is never closed: the closing `\"` is missing")
                    }
                    let quote = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
                    if quote + 1 < end && quote[1] == 0x22 {
                        doubled = true
                        position = quote + 2
                        continue
                    }
                    spans[count] = FieldSpan(start: contentStart, count: quote - contentStart, quoted: true, doubledQuotes: doubled)
                    position = quote + 1
                    break
                }
                count += 1
                if position == end { break }
                guard position[0] == 0x2C else {
                    throw ScanFailure(at: position, "unexpected \(ByteScanning.describe(position[0])) after the closing quote of a field (a quote inside a quoted field is written `\"\"`)")
                }
                position += 1
            } else {
                let fieldStart = position
                while position < end && position[0] != 0x2C {
                    if position[0] == 0x22 {
                        throw ScanFailure(at: position, "a `\"` inside an unquoted field: put the whole field in quotes and double the quote (`\"\"`)")
                    }
                    position += 1
                }
                spans[count] = FieldSpan(start: fieldStart, count: position - fieldStart, quoted: false, doubledQuotes: false)
                count += 1
                if position == end { break }
                position += 1
            }
        }
        return count
    }

    /// The text of a field, with `""` turned into `"` (in the scratch buffer).
    private mutating func text(of span: FieldSpan) -> ByteString {
        guard span.doubledQuotes else { return ByteString(UnsafeBufferPointer(start: span.start, count: span.count)) }
        let begin = scratch + scratchUsed
        var output = begin
        var input = span.start
        let end = span.start + span.count
        while input < end {
            output.pointee = input[0]
            output += 1
            input += input[0] == 0x22 ? 2 : 1
        }
        scratchUsed += output - begin
        return ByteString(UnsafeBufferPointer(start: begin, count: output - begin))
    }

    /// A number field: nil when empty, else a JSON-style number (a leading `+` and
    /// surrounding spaces allowed) that must fill the field; why it cannot be used otherwise.
    private mutating func number(of span: FieldSpan, field: LogField) -> Result<Double?, IgnoredValue> {
        var start = span.start
        var end = span.start + span.count
        while start < end && (start[0] == 0x20 || start[0] == 0x09) { start += 1 }
        while end > start && (end[-1] == 0x20 || end[-1] == 0x09) { end -= 1 }
        if start == end { return .success(nil) }
        let written = UnsafeBufferPointer(start: start, count: end - start)
        var notANumber: IgnoredValue {
            .wrongType(expected: "a number", found: "`\(ByteScanning.quote(written))`")
        }
        var digits = start
        if digits[0] == 0x2B { digits += 1 }
        guard digits < end, digits[0] == 0x2D || digits[0] &- 0x30 < 10 else { return .failure(notANumber) }
        if digits[0] == 0x2D && start[0] == 0x2B { return .failure(notANumber) }
        let parsed: (Double, UnsafePointer<UInt8>)
        do {
            parsed = try ByteScanning.parseNumber(digits, end)
        } catch {
            return .failure(notANumber)
        }
        guard parsed.1 == end else { return .failure(notANumber) }
        if let problem = field.problem(with: parsed.0) { return .failure(problem) }
        return .success(parsed.0)
    }

    private mutating func ensureScratch(_ minimum: Int) {
        guard scratchCapacity < minimum else { return }
        var capacity = scratchCapacity
        while capacity < minimum { capacity *= 2 }
        scratch.deallocate()
        scratch = .allocate(capacity: capacity)
        scratchCapacity = capacity
    }

    private mutating func growSpans() {
        let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity * 2)
        grown.moveInitialize(from: spans, count: spanCapacity)
        spans.deallocate()
        spans = grown
        spanCapacity *= 2
    }
}
