/// RFC 4180 CSV from a stream of blocks: the header names the columns (the JSON keys);
/// quoted fields may hold commas, doubled quotes and line breaks. Each record is handed
/// over as a `LogRecordView` whose strings point into the record's own buffer.
struct CSVParser {
    /// Column index → field (nil for columns no reader knows).
    private var columns: [LogField?] = []
    private var headerRead = false
    private var field: [UInt8] = []
    private var fields: [Range<Int>] = []
    private var quotedEmpty: [Bool] = []
    private var record: [UInt8] = []

    /// Reads all records; returns the number of lines (the header is line 1).
    static func read(_ source: inout some ByteBlocks, into sink: inout some LogSink) throws -> Int {
        var parser = CSVParser()
        return try parser.run(&source, sink: &sink)
    }

    private mutating func run(_ source: inout some ByteBlocks, sink: inout some LogSink) throws -> Int {
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { block.deallocate() }
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var afterQuote = false
        var fieldQuoted = false
        var sawAnything = false
        var lastByte: UInt8 = 0x0A
        var problem: LineProblem?
        while true {
            let count = try source.read(into: block)
            if count == 0 { break }
            let bytes = block.baseAddress!.assumingMemoryBound(to: UInt8.self)
            for index in 0..<count {
                let byte = bytes[index]
                lastByte = byte
                sawAnything = true
                if inQuotes {
                    if byte == 0x22 {
                        inQuotes = false
                        afterQuote = true
                    } else {
                        if byte == 0x0A { line += 1 }
                        record.append(byte)
                    }
                    continue
                }
                switch byte {
                case 0x22:
                    if afterQuote {
                        // A doubled quote inside a quoted field.
                        record.append(0x22)
                        inQuotes = true
                        afterQuote = false
                    } else if record.count == currentFieldStart {
                        inQuotes = true
                        fieldQuoted = true
                    } else if problem == nil {
                        problem = LineProblem(column: nil, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                case 0x2C:
                    endField(quoted: fieldQuoted)
                    fieldQuoted = false
                    afterQuote = false
                case 0x0A:
                    if record.count > currentFieldStart, record.last == 0x0D { record.removeLast() }
                    endField(quoted: fieldQuoted)
                    endRecord(line: recordLine, problem: problem, sink: &sink)
                    problem = nil
                    fieldQuoted = false
                    afterQuote = false
                    line += 1
                    recordLine = line
                default:
                    if afterQuote, byte != 0x0D, problem == nil {
                        problem = LineProblem(column: nil, message: "text after the closing quote of a field")
                    }
                    record.append(byte)
                }
            }
        }
        guard sawAnything else { return 0 }
        if inQuotes {
            sink.malformed(line: recordLine, column: nil, message: "a quoted field is not closed before the end of the file")
            return line
        }
        if lastByte != 0x0A {
            endField(quoted: fieldQuoted)
            endRecord(line: recordLine, problem: problem, sink: &sink)
            return line
        }
        return line - 1
    }

    private var currentFieldStart: Int { fields.last.map(\.upperBound) ?? 0 }

    private mutating func endField(quoted: Bool) {
        fields.append(currentFieldStart..<record.count)
        quotedEmpty.append(quoted)
    }

    private mutating func endRecord(line: Int, problem: LineProblem?, sink: inout some LogSink) {
        defer {
            record.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            quotedEmpty.removeAll(keepingCapacity: true)
        }
        if !headerRead {
            headerRead = true
            columns = fields.map { range in
                let name = String(decoding: record[range], as: UTF8.self).trimmingSpaces
                return LogField.allCases.first { $0.name == name }
            }
            if !columns.contains(.status) {
                sink.malformed(line: line, column: nil, message: "the header has no `status` column, so no row can be read")
            }
            return
        }
        // A blank line between records is skipped.
        if fields.count == 1, fields[0].isEmpty, !quotedEmpty[0] { return }
        if let problem {
            sink.malformed(line: line, column: problem.column, message: problem.message)
            return
        }
        guard fields.count == columns.count else {
            sink.malformed(line: line, column: nil, message: "\(fields.count) fields where the header has \(columns.count)")
            return
        }
        guard columns.contains(.status) else { return }
        record.withUnsafeBufferPointer { buffer in
            var view = LogRecordView()
            var status: GenerationStatus?
            for (index, column) in columns.enumerated() {
                guard let column else { continue }
                let range = fields[index]
                let bytes = UnsafeBufferPointer(rebasing: buffer[range])
                if bytes.isEmpty, !quotedEmpty[index] || column.isNumber { continue }
                if column == .status {
                    status = GenerationStatus(ByteString(bytes))
                    if status == nil {
                        sink.malformed(line: line, column: nil, message: "`status` must be success, failed or cancelled, found `\(ByteString(bytes).string)`")
                        return
                    }
                } else if column.isNumber {
                    guard let number = NumberParser.parseWhole(bytes) else {
                        sink.malformed(line: line, column: nil, message: "`\(column.name)` must be a number, found `\(ByteString(bytes).string)`")
                        return
                    }
                    guard number >= 0 || column == .rating else {
                        sink.malformed(line: line, column: nil, message: "`\(column.name)` cannot be negative")
                        return
                    }
                    switch column {
                    case .latencyMs: view.latencyMs = number
                    case .cost: view.cost = number
                    default: view.rating = number
                    }
                } else {
                    set(column, ByteString(bytes), in: &view)
                }
            }
            guard let status else {
                sink.malformed(line: line, column: nil, message: "missing `status` (success, failed or cancelled)")
                return
            }
            view.status = status
            sink.record(view, line: line)
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " || text.last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
