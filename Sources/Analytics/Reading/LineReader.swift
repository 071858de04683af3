#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte source into lines (JSON Lines) or records (CSV, where a quoted field may
/// hold newlines) through one fixed buffer. A partial line at the end of the buffer is
/// carried to the front before the next read; a line longer than the buffer doubles it
/// for as long as that line needs, and the buffer shrinks back once such a line is gone.
/// A line longer than `maximumLineLength` is not kept: its bytes are dropped as they
/// come until its "\n", and it is returned empty with `skippedLineLength` set. So memory
/// stays at the buffer size whatever the size of the file, at most twice the bound while
/// a long line is in it (a CSV quote left open ends its record after
/// `csvQuotedRecordLimit` bytes).
///
/// The views it returns are valid until the next call. The buffer has `padding` readable
/// bytes past its end, so scanners may load 8 bytes at any position inside a line.
struct LineReader: ~Copyable {
    static let padding = 16
    static let defaultBufferSize = 1 << 20
    /// A CSV quote left open this long is taken for a missing closing quote.
    static let csvQuotedRecordLimit = 32 << 20

    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private let baseCapacity: Int
    private var start = 0
    private var end = 0
    /// Bytes from `start` already scanned without finding the end of the line or record.
    private var scanned = 0
    private var exhausted = false
    private let source: any ByteSource
    /// Lines returned so far; the line just returned is line number `lines`.
    private(set) var lines = 0
    /// Longer lines (CSV records outside quotes) are skipped.
    let maximumLineLength: Int
    /// The length of the line just returned when it was skipped for its length (it is returned empty), else nil.
    private(set) var skippedLineLength: Int?
    /// The largest the buffer has been (tests check that it stays bounded).
    private(set) var peakCapacity: Int

    // CSV splitting state, kept across refills.
    private var csvState = CSVScanState.fieldStart
    private var csvNewlines = 0
    private var csvQuoteOpenedAt = 0

    init(source: any ByteSource, bufferSize: Int = LineReader.defaultBufferSize, maximumLineLength: Int = LogReader.defaultMaximumLineLength) {
        self.source = source
        baseCapacity = max(bufferSize, 16)
        capacity = baseCapacity
        peakCapacity = baseCapacity
        storage = Self.allocate(baseCapacity)
        self.maximumLineLength = max(1, maximumLineLength)
    }

    deinit { storage.deallocate() }

    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + padding)
        (pointer + capacity).initialize(repeating: 0, count: padding)
        return pointer
    }

    /// Drops a UTF-8 byte order mark at the very start of the input. A UTF-16 one (PowerShell 5
    /// writes files so by default) makes the file unreadable with that said: every line of it would
    /// be malformed for its NUL bytes.
    mutating func skipByteOrderMark(path: String) throws {
        while end - start < 3 && !exhausted { try refill() }
        if end - start >= 3, storage[start] == 0xEF, storage[start + 1] == 0xBB, storage[start + 2] == 0xBF {
            start += 3
        } else if end - start >= 2, (storage[start] == 0xFF && storage[start + 1] == 0xFE) || (storage[start] == 0xFE && storage[start + 1] == 0xFF) {
            throw LogReadError(path: path, message: "the file is UTF-16 text (it starts with the byte order mark \(storage[start] == 0xFF ? "FF FE" : "FE FF")): save it as UTF-8")
        }
    }

    /// The next line without its "\n" (a "\r" before it is kept), or nil at the end.
    /// A last line without "\n" is returned too; an empty input has no lines.
    @inline(__always)
    mutating func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        skippedLineLength = nil
        while true {
            let from = start + scanned
            if from < end, let hit = memchr(storage + from, 0x0A, end - from) {
                let newline = hit.assumingMemoryBound(to: UInt8.self) - storage
                let line = UnsafeBufferPointer(start: storage + start, count: newline - start)
                start = newline + 1
                scanned = 0
                lines += 1
                return bounded(line)
            }
            scanned = end - start
            if exhausted {
                guard start < end else { return nil }
                let line = UnsafeBufferPointer(start: storage + start, count: end - start)
                start = end
                scanned = 0
                lines += 1
                return bounded(line)
            }
            if end - start > maximumLineLength {
                try skipRestOfLine()
                return UnsafeBufferPointer(start: storage + start, count: 0)
            }
            try refill()
        }
    }

    /// A whole line found in the buffer, or an empty one with `skippedLineLength` set when it is
    /// longer than the bound (the bound holds for every line, not only for one that crosses the
    /// end of the buffer).
    private mutating func bounded(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard line.count > maximumLineLength else { return line }
        skippedLineLength = line.count
        return UnsafeBufferPointer(start: line.baseAddress, count: 0)
    }

    /// Drops the pending bytes of a line that is too long and the rest of it up to its
    /// "\n" (or the end of the input), reading through the buffer without growing it.
    private mutating func skipRestOfLine() throws {
        var length = end - start
        start = end
        scanned = 0
        while true {
            if start == end {
                if exhausted { break }
                start = 0
                end = 0
                let got = try source.read(into: storage, count: capacity)
                if got == 0 {
                    exhausted = true
                    break
                }
                end = got
            }
            if let hit = memchr(storage + start, 0x0A, end - start) {
                let newline = hit.assumingMemoryBound(to: UInt8.self) - storage
                length += newline - start
                start = newline + 1
                break
            }
            length += end - start
            start = end
        }
        lines += 1
        skippedLineLength = length
    }

    /// The next CSV record: its bytes without the final "\n" and the line it starts on.
    /// A quote never closed (by the end of the input, or within `csvQuotedRecordLimit`
    /// bytes) ends the record at the end of the line where it was opened, so the parser
    /// reports it there and reading resumes on the next line.
    mutating func nextCSVRecord() throws -> (bytes: UnsafeBufferPointer<UInt8>, line: Int)? {
        skippedLineLength = nil
        while true {
            var position = start + scanned
            var state = csvState
            var newlines = csvNewlines
            while position < end {
                let byte = storage[position]
                switch state {
                case .fieldStart:
                    if byte == 0x22 {
                        state = .quoted
                        csvQuoteOpenedAt = position - start
                    } else if byte == 0x0A {
                        return finishCSVRecord(at: position, newlines: newlines)
                    } else if byte != 0x2C {
                        state = .unquoted
                    }
                case .unquoted:
                    if byte == 0x2C {
                        state = .fieldStart
                    } else if byte == 0x0A {
                        return finishCSVRecord(at: position, newlines: newlines)
                    }
                case .quoted:
                    if byte == 0x22 {
                        state = .quoteInQuoted
                    } else if byte == 0x0A {
                        newlines += 1
                    }
                case .quoteInQuoted:
                    if byte == 0x22 {
                        state = .quoted
                    } else if byte == 0x2C {
                        state = .fieldStart
                    } else if byte == 0x0A {
                        return finishCSVRecord(at: position, newlines: newlines)
                    } else {
                        state = .unquoted
                    }
                }
                position += 1
            }
            scanned = end - start
            csvState = state
            csvNewlines = newlines
            let quoteOpen = state == .quoted
            if exhausted || (quoteOpen && end - start >= Self.csvQuotedRecordLimit) {
                guard start < end else { return nil }
                if quoteOpen {
                    let opened = start + csvQuoteOpenedAt
                    var newlinesBefore = 0
                    for index in start..<opened where storage[index] == 0x0A { newlinesBefore += 1 }
                    if let hit = memchr(storage + opened, 0x0A, end - opened) {
                        return finishCSVRecord(at: hit.assumingMemoryBound(to: UInt8.self) - storage, newlines: newlinesBefore)
                    }
                    if exhausted { return finishCSVRecord(at: end, newlines: newlinesBefore) }
                    // The line the quote opened on goes on past the limit: it is skipped to its end as one
                    // line too long (its rest was read as a line of its own that the file does not have).
                    let first = lines + 1
                    try skipRestOfLine()
                    lines += newlinesBefore
                    resetCSVState()
                    return (UnsafeBufferPointer(start: storage + start, count: 0), first)
                }
                return finishCSVRecord(at: end, newlines: newlines)
            }
            if !quoteOpen && end - start > maximumLineLength {
                // Outside quotes the record ends at the next "\n": skip to it.
                let first = lines + 1
                try skipRestOfLine()
                lines += newlines
                resetCSVState()
                return (UnsafeBufferPointer(start: storage + start, count: 0), first)
            }
            try refill()
        }
    }

    /// The record from `start` to `recordEnd` (a "\n", or the end of the input).
    private mutating func finishCSVRecord(at recordEnd: Int, newlines: Int) -> (bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        var record = UnsafeBufferPointer(start: storage + start, count: recordEnd - start)
        if record.count > maximumLineLength {
            skippedLineLength = record.count
            record = UnsafeBufferPointer(start: record.baseAddress, count: 0)
        }
        start = min(recordEnd + 1, end)
        lines += 1
        let line = lines
        lines += newlines
        resetCSVState()
        return (record, line)
    }

    private mutating func resetCSVState() {
        scanned = 0
        csvState = .fieldStart
        csvNewlines = 0
        csvQuoteOpenedAt = 0
    }

    /// Moves the pending partial line to the front (growing the buffer when the line fills
    /// it, shrinking it back when a long line is gone) and reads more after it.
    private mutating func refill() throws {
        let pending = end - start
        if pending == capacity {
            let grown = Self.allocate(capacity * 2)
            grown.update(from: storage + start, count: pending)
            storage.deallocate()
            storage = grown
            capacity *= 2
            peakCapacity = max(peakCapacity, capacity)
        } else if capacity > baseCapacity && pending < baseCapacity / 2 {
            let shrunk = Self.allocate(baseCapacity)
            shrunk.update(from: storage + start, count: pending)
            storage.deallocate()
            storage = shrunk
            capacity = baseCapacity
        } else if start > 0 && pending > 0 {
            memmove(storage, storage + start, pending)
        }
        start = 0
        end = pending
        let got = try source.read(into: storage + end, count: capacity - end)
        if got == 0 {
            exhausted = true
        } else {
            end += got
        }
    }
}

enum CSVScanState {
    case fieldStart, unquoted, quoted, quoteInQuoted
}
